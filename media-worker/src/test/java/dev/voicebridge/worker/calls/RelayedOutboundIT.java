package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * Business-initiated calls whose agent relays its audio over WebRTC: every case of {@link
 * OutboundWorkerIT} (the worker offers, the callee answers in either DTLS role, silence while it
 * rings, the greeting once WhatsApp reports ACCEPTED; an unusable answer) with the caller's leg
 * learning its payload types from WhatsApp's answer and the model's leg opened beside it.
 */
class RelayedOutboundIT extends OutboundWorkerIT {
    private FakeRealtimeServer model;

    @Override
    RealWorker newWorker() throws Exception {
        model = FakeRealtimeServer.start("sk-relay-outbound").greetWith(ResponseAudio.tone(660, 600));
        return RelayedCallIT.relayingWorker(client, telemetry, model, "sk-relay-outbound");
    }

    /** Each case's call reached the model over WebRTC (not its WebSocket) and ended there too. */
    @AfterEach
    void theModelTookTheCallAndHungUp() {
        try {
            assertThat(model.calls()).hasSize(1);
            assertThat(model.connectionCount())
                    .as("sessions: the WebRTC call, no WebSocket session beside it")
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> model.calls().get(0).hungUp());
        } finally {
            model.close();
        }
    }
}
