package dev.voicebridge.worker.agent;

import static dev.voicebridge.testkit.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.IdlePolicy;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limits a call's agent enforces by itself, the same through every adapter: the idle policy
 * (nobody spoke and nothing played for its timeout, then an optional goodbye) and the hard maximum
 * duration.
 */
@Timeout(40)
class CallLimitsIT {
    private AgentHarness h;

    @AfterEach
    void close() {
        h.close();
    }

    private static IdlePolicy idle(int seconds, String goodbye) {
        var p = new IdlePolicy();
        p.setTimeoutSeconds(seconds);
        p.setGoodbye(goodbye);
        return p;
    }

    private long lastFrameOf(double hz) {
        return h.leg.sent().stream()
                .filter(s -> s.itemId() != null && AudioAnalysis.toneShare(s.pcm(), 0, s.pcm().length, hz) > 0.5)
                .mapToLong(FakeCallLeg.Sent::nanoTime)
                .max()
                .orElseThrow();
    }

    @Test
    void aLiveCallNobodySpeaksInGetsTheGoodbyeThenEndsCallerIdle() {
        h = AgentHarness.live();
        h.live.respondWith(ResponseAudio.tone(440, 500)).commentWith(ResponseAudio.tone(660, 600));
        var spec = AgentHarness.liveSpec();
        spec.setIdle(idle(5, "Tell the caller you will hang up because the line is quiet."));
        h.start(spec, AgentHarness.config());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !h.live.sent("session.started").isEmpty());
        h.agent.mediaUp();
        h.leg.say(tone(300, 0.25, 600)); // the caller speaks once, and the model answers

        await().atMost(Duration.ofSeconds(20)).until(() -> h.ends.size() == 1);
        var end = h.ends.get(0);
        assertThat(end.reason()).isEqualTo(EndReason.CallerIdle);
        assertThat(end.detail()).isEqualTo("nobody spoke for 5 s");
        long answerEnded = lastFrameOf(440);
        var ask = h.live.received("session.commentary.append");
        assertThat(ask).singleElement().satisfies(a -> assertThat(
                        a.json().path("content").asText())
                .endsWith("Tell the caller you will hang up because the line is quiet."));
        // idle counts from the last speech, the model's answer included
        assertThat(Duration.ofNanos(ask.get(0).nanoTime() - answerEnded))
                .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(7));
        // the goodbye was heard whole before the hang-up
        assertThat(AudioAnalysis.toneFrames(h.leg.sentOf(h.leg.itemsSent().getLast()), 660))
                .isGreaterThanOrEqualTo(28);
        assertThat(end.nanoTime()).isGreaterThanOrEqualTo(lastFrameOf(660));
    }

    @Test
    void aRealtimeCallEndsSilentlyWithoutAGoodbye() {
        h = new AgentHarness();
        var spec = AgentHarness.spec();
        spec.setIdle(idle(5, null));
        h.start(spec, AgentHarness.config());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !h.server.sent("session.updated").isEmpty());
        long mediaUpAt = System.nanoTime();
        h.agent.mediaUp();

        await().atMost(Duration.ofSeconds(12)).until(() -> h.ends.size() == 1);
        assertThat(h.ends.get(0).reason()).isEqualTo(EndReason.CallerIdle);
        assertThat(Duration.ofNanos(h.ends.get(0).nanoTime() - mediaUpAt))
                .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(7));
        assertThat(h.server.received("response.create")).isEmpty();
    }

    @Test
    void theMaximumDurationEndsARealtimeCall() {
        h = new AgentHarness();
        h.start(AgentHarness.spec(), AgentHarness.config(), h.openAi(), Duration.ofSeconds(2), AgentObserver.NONE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !h.server.sent("session.updated").isEmpty());
        long mediaUpAt = System.nanoTime();
        h.agent.mediaUp();
        h.leg.say(tone(300, 0.25, 3000)); // talking does not extend it

        await().atMost(Duration.ofSeconds(6)).until(() -> h.ends.size() == 1);
        assertThat(h.ends.get(0).reason()).isEqualTo(EndReason.MaxDuration);
        assertThat(h.ends.get(0).detail()).isEqualTo("maximum call duration PT2S");
        assertThat(Duration.ofNanos(h.ends.get(0).nanoTime() - mediaUpAt))
                .isBetween(Duration.ofSeconds(2), Duration.ofMillis(3500));
    }

    @Test
    void theMaximumDurationEndsALiveCall() {
        h = AgentHarness.live();
        h.start(
                AgentHarness.liveSpec(),
                AgentHarness.config(),
                h.liveProvider(),
                Duration.ofSeconds(2),
                AgentObserver.NONE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !h.live.sent("session.started").isEmpty());
        long mediaUpAt = System.nanoTime();
        h.agent.mediaUp();

        await().atMost(Duration.ofSeconds(6)).until(() -> h.ends.size() == 1);
        assertThat(h.ends.get(0).reason()).isEqualTo(EndReason.MaxDuration);
        assertThat(Duration.ofNanos(h.ends.get(0).nanoTime() - mediaUpAt))
                .isBetween(Duration.ofSeconds(2), Duration.ofMillis(3500));
        // the session is closed, so billing stops with the call
        await().atMost(Duration.ofSeconds(6)).until(() -> h.live.openConnections() == 0);
    }
}
