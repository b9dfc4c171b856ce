package dev.voicebridge.worker.agent;

import static dev.voicebridge.testkit.audio.Signals.concat;
import static dev.voicebridge.testkit.audio.Signals.silence;
import static dev.voicebridge.testkit.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.realtime.EmbeddedAgentConfig;
import dev.voicebridge.worker.realtime.EmbeddedRealtimeClient;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded local agent behind a real CallAgent: caller PCM in, its echo out, no network. */
@Timeout(20)
class EmbeddedAgentTest {
    private final AgentHarness h = new AgentHarness(false);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void echoesAnUtteranceEndToEnd() {
        var spec = AgentHarness.spec();
        var greeting = new Greeting();
        greeting.setInstructions("say hello");
        greeting.setLeadInMillis(100);
        spec.setGreeting(greeting);
        h.start(
                spec,
                AgentHarness.config(),
                new RealtimeProvider(new EmbeddedRealtimeClient(EmbeddedAgentConfig.DEFAULTS)));
        h.agent.mediaUp();
        // the greeting beep comes first
        await().atMost(Duration.ofSeconds(3)).until(() -> h.leg.itemsSent().size() == 1 && h.leg.queuedMillis() == 0);

        h.leg.say(concat(tone(700, 0.25, 1000), silence(20)));
        await().atMost(Duration.ofSeconds(6))
                .until(() -> h.leg.itemsSent().size() == 2 && h.leg.queuedMillis() == 0 && h.leg.callerDone());

        short[] echo = h.leg.sentOf(h.leg.itemsSent().get(1));
        int echoFrames = AudioAnalysis.toneFrames(echo, 700);
        int beepFrames = AudioAnalysis.toneFrames(echo, 880);
        // 1000 ms of 700 Hz went in: 50 frames ± the VAD's attack/hangover edges come back.
        System.out.printf(
                "embedded echo: %d frames of 700 Hz back for 50 in, %d beep frames, echo starts at frame %d%n",
                echoFrames, beepFrames, firstEchoFrame(echo));
        assertThat(echoFrames).isBetween(47, 53);
        assertThat(beepFrames).isBetween(4, 7); // the 120 ms beep before the echo
        assertThat(firstEchoFrame(echo)).isBetween(5, 8);
        var snap = h.snapshot();
        assertThat(snap.api()).isEqualTo("embedded");
        assertThat(snap.transcript().get(snap.transcript().size() - 1).getText())
                .matches("\\[echo 1\\.[01] s\\]");
        assertThat(snap.usage().voice().inputTokens()).isZero();
        assertThat(snap.lastLatencyMillis()).isGreaterThanOrEqualTo(0);
    }

    private static int firstEchoFrame(short[] echo) {
        for (int f = 0; f * Pcm.FRAME_SAMPLES < echo.length; f++) {
            if (AudioAnalysis.toneShare(echo, f * Pcm.FRAME_SAMPLES, Pcm.FRAME_SAMPLES, 700) > 0.5) {
                return f;
            }
        }
        return -1;
    }
}
