package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.pipeline.PlayoutQueue;
import org.junit.jupiter.api.Test;

class ShallowPlayoutTest {
    private static final long MS = 1_000_000L;

    private static short[] frame() {
        return new short[Pcm.FRAME_SAMPLES];
    }

    @Test
    void aBurstIsCutToTheDepthAndTheQueueReturnsToOneFrameWhenItStaysDeep() {
        var queue = new PlayoutQueue(120_000);
        var shallow = new ShallowPlayout(2);
        // a stall, then five frames at once: only the newest two stay
        for (int i = 0; i < 5; i++) {
            queue.enqueue("spurt", frame());
        }
        assertThat(shallow.afterEnqueue(queue, 0)).isEqualTo(60);
        assertThat(queue.queuedMillis()).isEqualTo(40);
        // real-time pace afterwards: the pacer takes one frame per arriving frame, the queue stays two deep
        long now = 0;
        int dropped = 0;
        for (int tick = 1; tick <= 30; tick++) {
            now = tick * 20 * MS;
            queue.trimTo(queue.queuedMillis() - 20); // the pacer sent the oldest frame
            queue.enqueue("spurt", frame());
            dropped += shallow.afterEnqueue(queue, now);
            if (now > 520 * MS) {
                break;
            }
        }
        // after half a second two deep, one frame was dropped to bring it back to one
        assertThat(dropped).isEqualTo(20);
        assertThat(queue.queuedMillis()).isEqualTo(20);
    }

    @Test
    void aQueueOneFrameDeepIsLeftAlone() {
        var queue = new PlayoutQueue(120_000);
        var shallow = new ShallowPlayout(2);
        for (int tick = 0; tick < 100; tick++) {
            queue.trimTo(0); // played
            queue.enqueue("spurt", frame());
            assertThat(shallow.afterEnqueue(queue, tick * 20 * MS)).isZero();
        }
    }
}
