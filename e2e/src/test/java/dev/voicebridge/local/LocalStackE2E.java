package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
            // A first run records; as each service stops, the stack assembles its ahead-of-time cache.
            stack.stop(Duration.ofSeconds(120));
            Path caches = logs.resolve(".local/aot");
            try (var files = Files.list(caches)) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .as(
                                "one ahead-of-time cache per service in %s; see %s",
                                caches, logs.resolve("local-stack.log"))
                        .hasSize(3)
                        .allMatch(name -> name.matches("(operator|worker|signaling)-[0-9a-f]{12}\\.aot"))
                        .anyMatch(name -> name.matches("operator-[0-9a-f]{12}\\.aot"))
                        .anyMatch(name -> name.matches("worker-[0-9a-f]{12}\\.aot"))
                        .anyMatch(name -> name.matches("signaling-[0-9a-f]{12}\\.aot"));
            }
            assertThat(output.text())
                    .as("each assembled at the first attempt")
                    .doesNotContain("the first assembly")
                    .doesNotContain("not written");
        }
    }

    /**
     * The Deno binary: {@code VOICEBRIDGE_DENO}, else the one .ci/run installs with npm ({@code
     * .local/tools}), else {@code deno} on the PATH.
     */
    static String deno(Path home) {
        String configured = System.getenv("VOICEBRIDGE_DENO");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path installed = home.resolve(".local/tools/node_modules/.bin/deno");
        return Files.isExecutable(installed) ? installed.toString() : "deno";
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

    /**
     * examples/supabase-edge-function run by Deno owns the WhatsApp leg: the signed webhooks go to
     * it, it creates the call through the call API, accepts with the Graph stand-in and confirms,
     * and maps WhatsApp's terminate to a hang-up.
     */
    @Test
    void theSupabaseEdgeFunctionCarriesAWholeCall() throws Exception {
        Path home = Path.of(System.getProperty("voicebridge.home", ".."))
                .toAbsolutePath()
                .normalize();
        int port = freePort();
        var command = new java.util.ArrayList<>(java.util.List.of(
                deno(home),
                "run",
                "--check", // type-checked as it is run: the example must compile
                "--allow-net=127.0.0.1",
                "--allow-env",
                home.resolve("examples/supabase-edge-function/index.ts").toString()));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("edge-function.log").toFile());
        var fenv = builder.environment();
        fenv.put("DENO_DIR", logs.resolve("deno-cache").toString());
        fenv.put("NO_COLOR", "1");
        fenv.put("PORT", Integer.toString(port));
        fenv.put("LISTEN_HOST", "127.0.0.1");
        fenv.put("VOICEBRIDGE_URL", "http://127.0.0.1:" + env.get("VOICEBRIDGE_LOCAL_SIGNALING_PORT"));
        fenv.put("VOICEBRIDGE_API_TOKEN", "local-api-token");
        fenv.put("WHATSAPP_APP_SECRET", "local-app-secret");
        fenv.put("WHATSAPP_VERIFY_TOKEN", "local-verify-token");
        fenv.put("WHATSAPP_ACCESS_TOKEN", "local-whatsapp-token");
        fenv.put("GRAPH_API_URL", "http://127.0.0.1:" + env.get("VOICEBRIDGE_LOCAL_GRAPH_PORT"));
        Process function;
        try {
            function = builder.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "Deno is needed (npm install --prefix .local/tools deno, as .ci/run does): " + e.getMessage(), e);
        }
        try {
            var http = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build();
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> http.send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    base.resolve(
                                                            "?hub.mode=subscribe&hub.verify_token=local-verify-token&hub.challenge=42"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body()
                            .equals("42"));
            var unsigned = http.send(
                    java.net.http.HttpRequest.newBuilder(base)
                            .header("X-Hub-Signature-256", "sha256=00")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(401);

            var printed = new ByteArrayOutputStream();
            var options = PlaceCall.CallOptions.parse(
                    new String[] {
                        "--whatsapp",
                        "--webhook",
                        base.toString(),
                        "--listen",
                        "1",
                        "--out",
                        logs.resolve("heard-edge.wav").toString()
                    },
                    env);
            int exit = PlaceCall.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
            String report = printed.toString(StandardCharsets.UTF_8);
            Files.writeString(logs.resolve("call-edge-function.txt"), report);
            assertThat(exit).as(report).isZero();
            assertThat(report)
                    .contains("signed connect webhook -> 200")
                    .contains("pre_accept and accept received by the Graph stand-in, with the same SDP")
                    .contains("signed terminate webhook -> 200")
                    // the function confirmed the accept (call API mode) and hung up on terminate
                    .containsPattern("\\+\\d+  accepted")
                    .contains("phase Ended, end ApiHangup");
        } finally {
            function.destroy();
            function.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * The softphone page in real headless Chromium, its microphone a WAV of speech-like sound: the
     * call connects through the worker, the page shows the transcript and the latency, what the page
     * heard contains the agent's greeting (the embedded agent's 300 ms 660 Hz beep, found by
     * cross-correlation), and Hang up ends the VoiceCall. The screenshot is kept in the logs, and
     * written to {@code -Dsoftphone.screenshot=<png>} when given (the README's image).
     */
    @Test
    void theSoftphoneTalksToTheAgentFromHeadlessChromium() throws Exception {
        Path wav = logs.resolve("microphone.wav");
        // 5 s of silence, the phrase, 3 s of silence (Chromium loops the file from the Call click):
        // the person waits for the greeting before speaking. A caller who speaks before the
        // greeting is heard (within the lead-in after accept) has the agent yield it (docs/agent.md).
        short[] phrase = PlaceCall.phrase();
        short[] microphone = new short[120_000 + phrase.length + 72_000];
        System.arraycopy(phrase, 0, microphone, 120_000, phrase.length);
        dev.voicebridge.testkit.audio.WavFile.write(wav, 24_000, microphone);
        String signaling = "http://127.0.0.1:" + env.get("VOICEBRIDGE_LOCAL_SIGNALING_PORT");
        try (var chromium =
                HeadlessChromium.start(wav, logs.resolve("chromium-profile"), logs.resolve("chromium.log"))) {
            chromium.navigate(signaling + "/softphone#token=local-api-token&agent=default");
            chromium.click("call");
            var await = org.awaitility.Awaitility.await().ignoreExceptions();
            await.atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(chromium.text("phase"))
                    .as("phase; error: %s; console: %s", chromium.text("error"), chromium.console())
                    .isEqualTo("Connected"));
            await.atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(chromium.text("transcript"))
                    .contains("agent: [embedded agent: speak and hear yourself]")
                    .contains("agent: [echo "));
            // The transcript line is written when the model sends it; the latency when the answer's
            // audio starts playing, a status write or two later: the page shows it on a later poll.
            await.atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(chromium.text("latency")).matches("\\d+ ms \\(mean \\d+ ms\\)");
                assertThat(chromium.text("cost")).endsWith(" USD");
            });
            chromium.screenshot(logs.resolve("softphone.png"));
            String copyTo = System.getProperty("softphone.screenshot");
            if (copyTo != null && !copyTo.isBlank()) {
                Files.createDirectories(Path.of(copyTo).toAbsolutePath().getParent());
                Files.copy(
                        logs.resolve("softphone.png"),
                        Path.of(copyTo),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }

            byte[] pcm = java.util.Base64.getDecoder()
                    .decode(chromium.evaluate("softphone.heardPcm16(24000)").asText());
            short[] heard = new short[pcm.length / 2];
            java.nio.ByteBuffer.wrap(pcm)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer()
                    .get(heard);
            dev.voicebridge.testkit.audio.WavFile.write(logs.resolve("softphone-heard.wav"), 24_000, heard);
            short[] greeting = beep(300, 660);
            assertThat(heard.length).isGreaterThan(greeting.length * 4);
            var found =
                    dev.voicebridge.testkit.audio.AudioAnalysis.align(greeting, heard, heard.length - greeting.length);
            assertThat(found.correlation())
                    .as("the greeting in what the page heard, at %s", found)
                    .isGreaterThan(0.8);
            // A tone the agent never plays finds no match: the correlation tells tones apart.
            assertThat(dev.voicebridge.testkit.audio.AudioAnalysis.align(
                                    beep(300, 500), heard, heard.length - greeting.length)
                            .correlation())
                    .isLessThan(0.5);

            String callId = chromium.evaluate("softphone.state.callId").asText();
            chromium.click("hangup");
            await.atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(chromium.text("end")).startsWith("ApiHangup"));
            var http = java.net.http.HttpClient.newHttpClient();
            var view = new ObjectMapper()
                    .readTree(http.send(
                                    java.net.http.HttpRequest.newBuilder(URI.create(signaling + "/v1/calls/" + callId))
                                            .header("Authorization", "Bearer local-api-token")
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body());
            assertThat(view.path("phase").asText()).isEqualTo("Ended");
            assertThat(view.path("end").path("reason").asText()).isEqualTo("ApiHangup");
            assertThat(view.path("agent").asText()).isEqualTo("default");
        }
    }

    /** The embedded agent's beep: a sine at 6000 of full scale with 5 ms ramps, 24 kHz. */
    static short[] beep(int millis, double hz) {
        var s = new short[24 * millis];
        for (int i = 0; i < s.length; i++) {
            double ramp = Math.min(1.0, Math.min(i, s.length - 1 - i) / (24_000 * 0.005));
            s[i] = (short) (6000 * ramp * Math.sin(2 * Math.PI * hz * i / 24_000));
        }
        return s;
    }
}
