package dev.voicebridge.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.signaling.LogCapture;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.testkit.net.SlowClients;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: clients that open connections and never finish their request — silent, stopped in
 * the headers, stopped in the body of a webhook, of a call-API create, and of a request whose
 * resource never reads the body. Readiness must keep answering while they hang on, and the server
 * must drop every one of them once {@code server.connection-options.read-timeout} has passed,
 * quietly (no stack trace).
 */
class SlowClientsIT {
    static final int PER_KIND = 8;

    @Test
    void readinessAnswersWhileSlowClientsHangOnAndTheServerDropsThemAll() throws Exception {
        try (var server = SignalingTestServer.start(Map.of("server.connection-options.read-timeout", "PT3S"));
                var logs = LogCapture.start()) {
            List<SlowClients> held = new ArrayList<>();
            try {
                held.add(SlowClients.hold(server.address(), PER_KIND, SlowClients.Mode.SILENT, "/"));
                held.add(SlowClients.hold(
                        server.address(), PER_KIND, SlowClients.Mode.PARTIAL_HEADERS, "/health/ready"));
                held.add(SlowClients.hold(
                        server.address(), PER_KIND, SlowClients.Mode.PARTIAL_BODY, "/webhooks/whatsapp"));
                held.add(SlowClients.hold(server.address(), PER_KIND, SlowClients.Mode.PARTIAL_BODY, "/v1/calls"));
                held.add(SlowClients.hold(
                        server.address(), PER_KIND, SlowClients.Mode.PARTIAL_BODY, "/v1/calls/wacid.x/accepted"));

                // While all of them hang on: readiness answers every time, each within 2 s.
                for (int i = 0; i < 5; i++) {
                    var ready = server.http()
                            .send(
                                    HttpRequest.newBuilder(server.uri("/health/ready"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertThat(ready.statusCode()).isEqualTo(200);
                }

                // Every one of them is dropped (closed, or answered and closed) once the read
                // timeout has passed; without it none of the ones stopped mid-request ever is.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(held.stream()
                                .mapToLong(SlowClients::endedByServer)
                                .sum())
                        .isEqualTo(5L * PER_KIND));
                assertThat(server.get("/health/ready", Map.of()).statusCode()).isEqualTo(200);
                assertThat(logs.stackTraces()).isEmpty();
            } finally {
                held.forEach(SlowClients::close);
            }
        }
    }
}
