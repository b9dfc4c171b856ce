package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.worker.AllocatedBytes;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.PlayoutListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayoutQueueTest {
    private final List<String> events = new ArrayList<>();
    private final PlayoutQueue queue = new PlayoutQueue(1000);
    private final short[] frame = new short[480];
    private long startedAt;

    PlayoutQueueTest() {
        queue.setListener(new PlayoutListener() {
            @Override
            public void onItemStarted(String itemId, long nanoTime) {
                events.add("start " + itemId);
                startedAt = nanoTime;
            }

            @Override
            public void onItemFinished(String itemId, int playedMillis) {
                events.add("finish " + itemId + " " + playedMillis);
            }
        });
    }

    private static short[] ramp(int n, int base) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (base + i);
        }
        return s;
    }

    @Test
    void cutsFramesAcrossChunksOfOneItemAndPadsTheItemsTail() {
        queue.enqueue("a", ramp(300, 0));
        queue.enqueue("a", ramp(300, 300));
        queue.enqueue("b", ramp(480, 1000));
        assertThat(queue.queuedMillis()).isEqualTo(45);

        assertThat(queue.take(frame)).isTrue();
        assertThat(frame[0]).isEqualTo((short) 0);
        assertThat(frame[479]).isEqualTo((short) 479);
        assertThat(queue.take(frame)).isTrue();
        assertThat(frame[0]).isEqualTo((short) 480);
        assertThat(frame[119]).isEqualTo((short) 599);
        assertThat(frame[120]).isZero(); // item a ended: the rest is silence, not item b
        assertThat(queue.take(frame)).isTrue();
        assertThat(frame[0]).isEqualTo((short) 1000);
        assertThat(queue.take(frame)).isFalse();
        assertThat(events).containsExactly("start a", "finish a 25", "start b", "finish b 20");
    }

    /**
     * An item starts when its first frame is taken, not when the pacer's tick was due: a late tick's
     * due time can precede the caller's speech stop that the item answers, and the turn then lost its
     * response latency (seen as a flaky CallTracingIT on a loaded machine).
     */
    @Test
    void anItemStartsWhenItsFirstFrameIsTakenNeverBeforeItsAudioWasQueued() {
        long queuedAt = System.nanoTime();
        queue.enqueue("a", ramp(480, 0));
        assertThat(queue.take(frame)).isTrue();
        assertThat(startedAt).isGreaterThanOrEqualTo(queuedAt).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void flushMidItemReportsWhatWasSentAndDropsTheRest() {
        queue.enqueue("a", new short[24_000]);
        for (int i = 0; i < 10; i++) {
            queue.take(frame);
        }
        AgentAudioOutput.Flushed flushed = queue.flush();
        assertThat(flushed).isEqualTo(new AgentAudioOutput.Flushed("a", 200, 800));
        assertThat(queue.take(frame)).isFalse();
        assertThat(queue.flush()).isEqualTo(AgentAudioOutput.Flushed.NOTHING);
    }

    @Test
    void flushBeforePlayoutStartedReportsNothingPlayed() {
        queue.enqueue("a", new short[4800]);
        assertThat(queue.flush()).isEqualTo(new AgentAudioOutput.Flushed(null, 0, 200));
    }

    @Test
    void refusesAudioBeyondItsBoundAndCountsIt() {
        queue.enqueue("a", new short[24_000]);
        queue.enqueue("a", new short[480]);
        assertThat(queue.queuedMillis()).isEqualTo(1000);
        assertThat(queue.droppedMillis()).isEqualTo(20);
    }

    @Test
    void takesTheCallersArrayAndOnlyReadsIt() {
        short[] pcm = ramp(480, 5);
        short[] before = pcm.clone();
        queue.enqueue("a", pcm);
        queue.take(frame);
        assertThat(frame).containsExactly(before);
        assertThat(pcm).as("the queue never writes the array it was handed").containsExactly(before);
    }

    /** The queue keeps the caller's array instead of a copy: nothing is allocated per delta. */
    @Test
    void enqueueAllocatesNoCopyOfTheAudio() {
        var big = new PlayoutQueue(60_000);
        short[] delta = ramp(480, 0);

        long perDelta = AllocatedBytes.perOperation(1000, () -> {
            big.enqueue("a", delta);
            big.take(frame);
        });

        assertThat(perDelta).as("bytes allocated per 20 ms delta").isLessThan(200);
    }
}
