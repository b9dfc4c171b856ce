package dev.voicebridge.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.webrtc.TransportConfig;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a relayed call's model leg fails before it reaches OpenAI, and what the call is told. */
class RelayedCallTest {
    private record Why(EndReason reason, String detail) {}

    @Test
    void aLegThatGetsNoSocketEndsTheCallAgentUnavailableAndNeverAsksOpenAI() throws Exception {
        var posted = new AtomicInteger();
        ModelCalls openAi = (offer, session) -> {
            posted.incrementAndGet();
            return new CompletableFuture<>();
        };
        try (var host = WebRtcHost.start(TransportConfig.defaults().withEndpoint("127.0.0.1", 0, List.of()))) {
            host.port().close(); // as if the worker's port failed: no leg socket can be bound
            var gone = new CompletableFuture<Why>();
            RelayedCall.open(
                    host,
                    openAi,
                    "wacid.no-socket",
                    new OpusRelay(111),
                    "{}",
                    (reason, detail) -> gone.complete(new Why(reason, detail)));
            Why why = gone.get(5, TimeUnit.SECONDS);
            assertThat(why.reason()).isEqualTo(EndReason.AgentUnavailable);
            assertThat(why.detail())
                    .startsWith("no UDP socket for the model's leg: ")
                    .contains("closed");
            assertThat(posted)
                    .as("OpenAI is not asked for a call that has no media socket")
                    .hasValue(0);
            assertThat(host.transports()).isEmpty();
        }
    }
}
