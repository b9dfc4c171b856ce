package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.testkit.net.TestNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./voicebridge up} as a user runs it (the local-stack jar, its defaults, ports moved by the
 * documented environment variables), and what a user does with it: {@code ./voicebridge call
 * --whatsapp}. Its output, the stand-in's lines included, is kept in target/e2e-logs.
 */
@Timeout(300)
class LocalStackE2E {
    static ServiceProcess stack;
    static Map<String, String> env;
    static Output output;
    static Path logs;

    /** Everything the stack printed, kept to assert on and written to a log file as it comes. */
    static final class Output extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final OutputStream file;

        Output(Path file) throws IOException {
            this.file = Files.newOutputStream(file);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            bytes.write(b);
            file.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            bytes.write(b, off, len);
            file.write(b, off, len);
            file.flush();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        Path home = Path.of(System.getProperty("voicebridge.home", ".."))
                .toAbsolutePath()
                .normalize();
        logs = Path.of(System.getProperty("e2e.logs", "target/e2e-logs")).resolve("LocalStackE2E");
        Files.createDirectories(logs);
        env = new HashMap<>();
        env.put("VOICEBRIDGE_HOME", logs.toString());
        env.put("VOICEBRIDGE_LOCAL_KUBE_PORT", Integer.toString(freePort()));
        env.put("VOICEBRIDGE_LOCAL_SIGNALING_PORT", Integer.toString(freePort()));
        env.put("VOICEBRIDGE_LOCAL_OPERATOR_PORT", Integer.toString(freePort()));
        env.put("VOICEBRIDGE_LOCAL_WORKER_PORT", Integer.toString(freePort()));
        env.put("VOICEBRIDGE_LOCAL_GRAPH_PORT", Integer.toString(freePort()));
        env.put("VOICEBRIDGE_LOCAL_MEDIA_PORT", "10400");
        // The stack finds its service jars under VOICEBRIDGE_HOME: link the built ones.
        for (String module : new String[] {"operator", "media-worker", "signaling-service"}) {
            Path target = logs.resolve(module).resolve("target");
            Files.createDirectories(target);
            Path link = target.resolve(module + ".jar");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(
                    link, home.resolve(module).resolve("target").resolve(module + ".jar"));
        }
        output = new Output(logs.resolve("local-stack.log"));
        stack = new ServiceProcess(
                "local",
                home.resolve("local-stack/target/local-stack.jar"),
                env,
                URI.create("http://127.0.0.1:" + env.get("VOICEBRIDGE_LOCAL_SIGNALING_PORT") + "/health/ready"),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        stack.start();
        assertThat(stack.awaitReady(Duration.ofSeconds(150)))
                .as("local stack ready; see %s", logs.resolve("local-stack.log"))
                .isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.stop(Duration.ofSeconds(30));
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void voicebridgeCallWhatsappPlacesTheCallTheWayWhatsAppDoes() throws Exception {
        var printed = new ByteArrayOutputStream();
        var options = PlaceCall.CallOptions.parse(
                new String[] {
                    "--whatsapp",
                    "--listen",
                    "1",
                    "--out",
                    logs.resolve("heard.wav").toString()
                },
                env);
        int exit = PlaceCall.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);
        Files.writeString(logs.resolve("call-whatsapp.txt"), report);

        assertThat(exit).as(report).isZero();
        assertThat(report)
                .contains("signed connect webhook -> 200")
                .contains("pre_accept and accept received by the Graph stand-in, with the same SDP")
                .contains("signed terminate webhook -> 200")
                .contains("phase Ended, end CallerHangup");
        // The stand-in printed each action it received, by resource name.
        assertThat(output.text())
                .containsPattern("graph     \\| pre_accept wa-[a-z2-7]{24} -> 200 \\(SDP answer")
                .containsPattern("graph     \\| accept wa-[a-z2-7]{24} -> 200");
    }
}
