package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.worker.AllocatedBytes;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.ModelSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The caller's audio wakes the agent's owner once per batch of {@code append-frames}, not per
 * frame, and each wake-up sends what it took as one append; speech edges are seen in that drain.
 */
class CallerIntakeTest {
    private final List<short[]> appends = new ArrayList<>();
    private final List<EnergyVad.Transition> edges = new ArrayList<>();
    private final ModelSession session = new RecordingSession(appends);

    /** Offers {@code frames} frames, draining whenever the intake asks (as CallAgent posts it); returns the drains. */
    private int feed(CallerIntake intake, short[]... frames) {
        int drains = 0;
        for (short[] frame : frames) {
            if (intake.offer(frame)) {
                drains++;
                intake.drain(true, session, (edge, speaking, now) -> {
                    if (edge != EnergyVad.Transition.NONE) {
                        edges.add(edge);
                    }
                });
            }
        }
        return drains;
    }

    private static short[][] frames(int n, short level) {
        var out = new short[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new short[Pcm.FRAME_SAMPLES];
            Arrays.fill(out[i], level);
        }
        return out;
    }

    @Test
    void twoFrameBatchesWakeTheOwnerOncePerBatch() {
        var intake = new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "2"));

        int drains = feed(intake, frames(10, (short) 0));

        assertThat(drains).as("owner wake-ups for 10 frames").isEqualTo(5);
        assertThat(appends).hasSize(5).allSatisfy(pcm -> assertThat(pcm).hasSize(2 * Pcm.FRAME_SAMPLES));
    }

    @Test
    void theDefaultBatchIsTwoFramesOf20Ms() {
        assertThat(AgentConfig.DEFAULTS.appendFrames()).isEqualTo(2);
        var intake = new CallerIntake(AgentConfig.DEFAULTS);

        assertThat(feed(intake, frames(50, (short) 0)))
                .as("one second of caller audio")
                .isEqualTo(25);
        assertThat(appends).hasSize(25);
    }

    @Test
    void oneFrameBatchesStillWakePerFrame() {
        var intake = new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "1"));

        assertThat(feed(intake, frames(7, (short) 0))).isEqualTo(7);
        assertThat(appends).hasSize(7);
    }

    @Test
    void speechStartIsSeenWithinOneBatch() {
        var intake = new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "2"));
        feed(intake, frames(4, (short) 0));

        // The detector needs 3 loud frames (60 ms); with 2-frame batches the 4th frame's drain sees it.
        feed(intake, frames(3, (short) 8000));
        assertThat(edges).isEmpty(); // the 3rd loud frame waits for its batch partner
        feed(intake, frames(1, (short) 8000));

        assertThat(edges).containsExactly(EnergyVad.Transition.STARTED);
    }

    @Test
    void aDrainSendsWhatItTookEvenWhenLessThanABatch() {
        var intake = new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "2"));
        intake.offer(frames(1, (short) 1)[0]); // not a batch yet: no wake-up asked

        intake.drain(true, session, (edge, speaking, now) -> {}); // e.g. a drain raced by the next offer

        assertThat(appends).hasSize(1);
        assertThat(appends.getFirst()).hasSize(Pcm.FRAME_SAMPLES);
    }

    @Test
    void aBatchLargerThanTheQueueIsCappedSoTheOwnerStillWakes() {
        var intake =
                new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "8").with("caller-queue-frames", "4"));

        assertThat(feed(intake, frames(8, (short) 0))).isEqualTo(2);
        assertThat(intake.dropped()).isZero();
    }

    @Test
    void framesKeepTheirOrderAcrossTheRingAndAreCopiedOnOffer() {
        var intake =
                new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "2").with("caller-queue-frames", "3"));
        var frames = new short[20][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frames(1, (short) i)[0];
        }
        for (short[] frame : frames) {
            if (intake.offer(frame)) {
                Arrays.fill(frame, (short) -1); // the caller's array is the caller's again at once
                intake.drain(true, session, (edge, speaking, now) -> {});
            }
        }

        assertThat(appends).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(appends.get(i)[0]).isEqualTo((short) (2 * i));
            assertThat(appends.get(i)[Pcm.FRAME_SAMPLES]).isEqualTo((short) (2 * i + 1));
        }
    }

    @Test
    void aFullQueueKeepsTheOldestFramesAndCountsTheRest() {
        var intake =
                new CallerIntake(AgentConfig.DEFAULTS.with("append-frames", "8").with("caller-queue-frames", "4"));
        for (int i = 0; i < 6; i++) {
            intake.offer(frames(1, (short) i)[0]); // nobody drains
        }

        intake.drain(true, session, (edge, speaking, now) -> {});

        assertThat(intake.dropped()).isEqualTo(2);
        assertThat(appends).hasSize(1);
        short[] taken = appends.getFirst();
        assertThat(taken).hasSize(4 * Pcm.FRAME_SAMPLES);
        for (int i = 0; i < 4; i++) {
            assertThat(taken[i * Pcm.FRAME_SAMPLES]).isEqualTo((short) i);
        }
    }

    /**
     * A copy per frame and a new array per append were a seventh of the worker's allocation under
     * load; the intake now allocates nothing per frame. Counted in bytes, not timed.
     */
    @Test
    void allocatesNothingPerFrame() {
        var intake = new CallerIntake(AgentConfig.DEFAULTS);
        long[] samples = new long[1];
        CallerAudioOnlySession counting = pcm -> samples[0] += pcm.length;
        CallerIntake.Ear ear = (edge, speaking, now) -> {};
        short[] frame = frames(1, (short) 500)[0];

        long perFrame = AllocatedBytes.perOperation(10_000, () -> {
            if (intake.offer(frame)) {
                intake.drain(true, counting, ear);
            }
        });

        assertThat(samples[0]).isEqualTo(20_000L * Pcm.FRAME_SAMPLES);
        assertThat(perFrame).as("bytes allocated per frame").isLessThan(64);
    }

    private record RecordingSession(List<short[]> appends) implements CallerAudioOnlySession {
        @Override
        public void callerAudio(short[] pcm) {
            appends.add(pcm.clone());
        }
    }
}
