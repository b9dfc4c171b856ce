package dev.voicebridge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.api.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chart's helm test check: passes only when both CRDs are served and signaling is ready. */
@EnableKubernetesMockClient(crud = true)
class InstallCheckTest {
    KubernetesClient client;
    HttpServer signaling;
    final AtomicInteger readiness = new AtomicInteger(200);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void signaling() throws Exception {
        signaling = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        signaling.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(readiness.get(), -1);
            exchange.close();
        });
        signaling.start();
    }

    @AfterEach
    void stop() {
        signaling.stop(0);
    }

    boolean check() {
        String url = "http://127.0.0.1:" + signaling.getAddress().getPort() + "/";
        Map<String, String> env = Map.of(
                "VOICEBRIDGE_CHECK_SIGNALING_URL", url,
                "VOICEBRIDGE_CHECK_NAMESPACE", "calls",
                "VOICEBRIDGE_CHECK_TIMEOUT", "1s");
        return InstallCheck.run(env::get, client, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passesWhenBothCrdsAreServedAndSignalingIsReady() {
        Crds.all().forEach(crd -> client.resource(crd).create());
        assertThat(check()).as(output()).isTrue();
        assertThat(output())
                .contains("ok   voicecalls.voicebridge.dev v1alpha1 is served in calls")
                .contains("ok   voiceagents.voicebridge.dev v1alpha1 is served in calls")
                .contains("ok   signaling-service is ready");
    }

    @Test
    void failsNamingWhatIsMissing() {
        assertThat(check()).isFalse();
        assertThat(output()).contains("FAIL voicecalls.voicebridge.dev v1alpha1 is not installed");

        out.reset();
        Crds.all().forEach(crd -> client.resource(crd).create());
        readiness.set(503);
        assertThat(check()).isFalse();
        assertThat(output())
                .contains("FAIL signaling-service is not ready after PT1S")
                .contains("HTTP 503");
    }

    @Test
    void failsWithoutASignalingUrl() {
        assertThat(InstallCheck.run(
                        Map.<String, String>of()::get, client, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(output()).contains("VOICEBRIDGE_CHECK_SIGNALING_URL is not set");
    }
}
