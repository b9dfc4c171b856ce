package dev.voicebridge.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health, metrics and the OpenAPI document of the running service. */
class OperationalEndpointsIT {

    @Test
    void notReadyWhileTheInformersCannotSyncButLive() throws Exception {
        int deadPort;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        try (var server = SignalingTestServer.start(
                Map.of("voicebridge.kubernetes.master-url", "http://127.0.0.1:" + deadPort), false)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.get("/health/live", Map.of()).statusCode() == 200);
            var ready = server.get("/health/ready", Map.of());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("informers").contains("DOWN");

            // Until the agents are known, a connect must not create an agent-less call: 503 makes
            // WhatsApp redeliver, and the API client retries.
            var webhook = server.webhook(
                    Fixtures.connect("wacid.unsynced", java.time.Instant.now().getEpochSecond()));
            assertThat(webhook.statusCode()).isEqualTo(503);
            assertThat(webhook.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(webhook.body()).contains("kubernetes-unavailable");
        }
    }

    @Test
    void readyMetricsAndOpenApiWhenSynced() throws Exception {
        try (var server = SignalingTestServer.start(Map.of())) {
            assertThat(server.get("/health/live", Map.of()).statusCode()).isEqualTo(200);
            var ready = server.get("/health/ready", Map.of());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"voicecalls\":true").contains("\"voiceagents\":true");

            var unsigned = server.post("/webhooks/whatsapp", "{}".getBytes(), Map.of());
            assertThat(unsigned.statusCode()).isEqualTo(401);
            var metrics = server.get("/metrics", Map.of("Accept", "text/plain"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .containsPattern("signaling_webhook_requests_total\\{[^}]*outcome=\"unauthorized\"[^}]*} 1")
                    .contains("signaling_api_pending_waiters")
                    // Registered at start-up, before any call: the first call does not build them.
                    .containsPattern("signaling_webhook_requests_total\\{[^}]*outcome=\"accepted\"[^}]*} 0")
                    .containsPattern("signaling_api_setup_wait_seconds_count\\{[^}]*outcome=\"answered\"[^}]*} 0")
                    .containsPattern("signaling_api_latency_seconds_count\\{[^}]*operation=\"create\"[^}]*} 0");

            var openapi = server.get("/openapi", Map.of("Accept", "application/yaml"));
            assertThat(openapi.statusCode()).isEqualTo(200);
            assertThat(openapi.body())
                    .contains("/v1/calls:")
                    .contains("/v1/calls/{callId}/accepted:")
                    .contains("/webhooks/whatsapp:")
                    .contains("answer-timeout")
                    .contains("bearer");
        }
    }
}
