package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voicebridge.api.agent.ListPrice;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.agent.AgentObserver.AgentTurn;
import dev.voicebridge.worker.agent.Prices;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;
import io.helidon.microprofile.metrics.RegistryFactory;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

/** The worker's aggregate metrics, on Helidon's real MicroProfile registry (a scope of its own per test). */
class WorkerMetricsTest {
    final MetricRegistry registry =
            RegistryFactory.getInstance().getRegistry("worker-metrics-test-" + UUID.randomUUID());
    final WorkerMetrics metrics = new WorkerMetrics(registry);

    static TokenUsage usage(long inText, long inAudio, long outText, long outAudio) {
        return new TokenUsage(inText + inAudio, outText + outAudio, inText, inAudio, 0, 0, 0, outText, outAudio);
    }

    static AgentTurn turn(long latencyMillis, String status, TokenUsage usage) {
        return new AgentTurn(1, 2, latencyMillis, status, usage);
    }

    long tokens(String kind) {
        return registry.counter("voicebridge.worker.agent.tokens", new Tag("kind", kind))
                .getCount();
    }

    long responses(String status) {
        return registry.counter("voicebridge.worker.agent.responses", new Tag("status", status))
                .getCount();
    }

    double gauge(String name) {
        return registry.getGauge(new MetricID(name)).getValue().doubleValue();
    }

    @Test
    void turnsAndUsageOfThreeCallsAddLatencyTokensSecondsCostAndBargeIns() {
        var realtime = new VoiceAgentSpec();
        realtime.setModel("gpt-realtime");
        AgentObserver first = metrics.agentObserver(Prices.of(realtime, null));
        AgentObserver second = metrics.agentObserver(new Prices(ListPrice.tokens(0, 0, 100, 0, 0, 0)));
        var live = new VoiceAgentSpec();
        live.setApi("live");
        AgentObserver third = metrics.agentObserver(Prices.of(live, null));

        first.turn(turn(-1, "completed", usage(100, 0, 10, 1000))); // the greeting: no latency
        first.usage(ModelUsage.tokens(usage(100, 0, 10, 1000)));
        first.turn(turn(800, "completed", usage(0, 2000, 0, 3000)));
        first.usage(ModelUsage.tokens(usage(0, 2000, 0, 3000)));
        first.interrupted();
        second.turn(turn(400, "cancelled", usage(0, 500, 0, 250)));
        second.usage(ModelUsage.tokens(usage(0, 500, 0, 250)));
        second.turn(turn(-1, "weird-new-status", null));
        second.interrupted();
        second.interrupted();
        // GPT-Live: seconds as the service reports them, and a tool call's backend tokens
        third.usage(ModelUsage.seconds(30.5));
        third.usage(ModelUsage.backend(TokenUsage.text(1000, 400, 50)));
        third.usage(ModelUsage.seconds(29.5));

        var latency = registry.timer("voicebridge.worker.agent.response.latency");
        assertThat(latency.getCount()).isEqualTo(2);
        assertThat(latency.getElapsedTime()).isEqualTo(Duration.ofMillis(1200));
        assertThat(registry.counter("voicebridge.worker.agent.interruptions").getCount())
                .isEqualTo(3);
        assertThat(tokens("input_text")).isEqualTo(100);
        assertThat(tokens("input_audio")).isEqualTo(2500);
        assertThat(tokens("output_text")).isEqualTo(10);
        assertThat(tokens("output_audio")).isEqualTo(4250);
        assertThat(tokens("backend_input")).isEqualTo(1000);
        assertThat(tokens("backend_output")).isEqualTo(50);
        assertThat(responses("completed")).isEqualTo(2);
        assertThat(responses("cancelled")).isEqualTo(1);
        assertThat(responses("other")).isEqualTo(1);
        assertThat(gauge("voicebridge.worker.agent.session.seconds")).isCloseTo(60.0, within(1e-9));
        // First call at gpt-realtime list prices: 100 × $4 + 10 × $16 + 2000 × $32 + 4000 × $64 per 1M
        // tokens; second at its own $100 per 1M audio output tokens: 250 × $100 per 1M; third one
        // minute of GPT-Live at $0.05 plus gpt-5.4-mini backend tokens: 600 × $0.75 + 400 × $0.075
        // + 50 × $4.50 per 1M.
        double expected = (100 * 4 + 10 * 16 + 2000 * 32 + 4000 * 64) / 1e6
                + 250 * 100 / 1e6
                + 0.05
                + (600 * 0.75 + 400 * 0.075 + 50 * 4.5) / 1e6;
        assertThat(gauge("voicebridge.worker.agent.cost.usd")).isCloseTo(expected, within(2e-6));
    }

    @Test
    void eachEndedCallAddsItsMediaFiguresOnce() {
        var one = new MediaStatus();
        one.setPacketsIn(1000L);
        one.setPacketsLost(20L);
        one.setConcealedMillis(400L);
        var two = new MediaStatus();
        two.setPacketsIn(500L);
        two.setPacketsLost(5L);
        two.setConcealedMillis(100L);
        metrics.callEnded(one);
        metrics.callEnded(two);
        // A call whose last snapshot failed carries no figures: nothing is added, nothing fails.
        metrics.callEnded(new MediaStatus());

        assertThat(registry.counter("voicebridge.worker.media.packets.received").getCount())
                .isEqualTo(1500);
        assertThat(registry.counter("voicebridge.worker.media.packets.lost").getCount())
                .isEqualTo(25);
        var concealed = registry.timer("voicebridge.worker.media.concealed");
        assertThat(concealed.getCount()).isEqualTo(2);
        assertThat(concealed.getElapsedTime()).isEqualTo(Duration.ofMillis(500));
    }
}
