package dev.voicebridge.worker.pipeline;

import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.audio.PlayoutListener;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Agent → caller, stage 1: the call's playout queue. The agent thread appends items, the pacer
 * thread takes 480 samples per tick ({@link #take}). A short lock guards the deque; neither side
 * ever waits on anything else, and listener callbacks run after the lock is released.
 *
 * <p>Frames never mix two items: the tail of an item is padded with silence so "played
 * milliseconds" is exact per item. If an item's audio runs dry and more of the same item arrives
 * later, playout resumes it without a second {@code onItemStarted}, and {@code onItemFinished}
 * fires again at the next drain with the cumulative total.
 */
public final class PlayoutQueue implements AgentAudioOutput {
    private record Chunk(String itemId, short[] pcm) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final long maxQueuedSamples;
    private final AtomicLong droppedSamples = new AtomicLong();
    private final AtomicLong trimmedSamples = new AtomicLong();
    private volatile PlayoutListener listener = new PlayoutListener() {};

    // Guarded by lock.
    private int headPosition;
    private long queuedSamples;
    private String currentItem;
    private long currentItemSentSamples;
    private String startedItem;

    public PlayoutQueue(int maxQueuedMillis) {
        this.maxQueuedSamples = (long) maxQueuedMillis * Pcm.SAMPLE_RATE / 1000;
    }

    @Override
    public void enqueue(String itemId, short[] pcm) {
        Objects.requireNonNull(itemId, "itemId");
        if (pcm.length == 0) {
            return;
        }
        // Kept, not copied (the caller hands it over): a copy of every delta was 3 % of the
        // worker's allocation under load.
        lock.lock();
        try {
            if (queuedSamples + pcm.length > maxQueuedSamples) {
                droppedSamples.addAndGet(pcm.length);
                return;
            }
            chunks.addLast(new Chunk(itemId, pcm));
            queuedSamples += pcm.length;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fills {@code frame} with the next 20 ms; returns false (frame untouched) when there is no
     * agent audio, so the caller sends encoded silence. Pacer thread only.
     */
    boolean take(short[] frame) {
        String started = null;
        String finished = null;
        int finishedMillis = 0;
        lock.lock();
        try {
            Chunk head = chunks.peekFirst();
            if (head == null) {
                return false;
            }
            String item = head.itemId();
            if (!item.equals(currentItem)) {
                currentItem = item;
                currentItemSentSamples = 0;
            }
            if (!item.equals(startedItem)) {
                startedItem = item;
                started = item;
            }
            int filled = 0;
            while (filled < frame.length && head != null && head.itemId().equals(item)) {
                int n = Math.min(frame.length - filled, head.pcm().length - headPosition);
                System.arraycopy(head.pcm(), headPosition, frame, filled, n);
                filled += n;
                headPosition += n;
                if (headPosition == head.pcm().length) {
                    chunks.pollFirst();
                    headPosition = 0;
                    head = chunks.peekFirst();
                }
            }
            if (filled < frame.length) {
                Arrays.fill(frame, filled, frame.length, (short) 0);
            }
            queuedSamples -= filled;
            currentItemSentSamples += filled;
            if (head == null || !head.itemId().equals(item)) {
                finished = item;
                finishedMillis = Pcm.millis(currentItemSentSamples);
            }
        } finally {
            lock.unlock();
        }
        PlayoutListener l = listener;
        if (started != null) {
            // When the frame is really taken, not when the tick was due: a late pacer's due time can
            // precede the caller's speech stop this item answers, which lost the turn's latency.
            l.onItemStarted(started, System.nanoTime());
        }
        if (finished != null) {
            l.onItemFinished(finished, finishedMillis);
        }
        return true;
    }

    @Override
    public Flushed flush() {
        lock.lock();
        try {
            long dropped = queuedSamples;
            boolean playing = currentItem != null
                    && currentItemSentSamples > 0
                    && !chunks.isEmpty()
                    && chunks.peekFirst().itemId().equals(currentItem);
            Flushed result = playing
                    ? new Flushed(currentItem, Pcm.millis(currentItemSentSamples), Pcm.millis(dropped))
                    : new Flushed(null, 0, Pcm.millis(dropped));
            chunks.clear();
            headPosition = 0;
            queuedSamples = 0;
            currentItem = null;
            currentItemSentSamples = 0;
            startedItem = null;
            return result.wasPlaying() || result.droppedMillis() > 0 ? result : Flushed.NOTHING;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int trimTo(int maxQueuedMillis) {
        long max = (long) maxQueuedMillis * Pcm.SAMPLE_RATE / 1000;
        long dropped = 0;
        lock.lock();
        try {
            while (queuedSamples > max) {
                Chunk head = chunks.peekFirst();
                int left = head.pcm().length - headPosition;
                int n = (int) Math.min(left, queuedSamples - max);
                headPosition += n;
                queuedSamples -= n;
                dropped += n;
                if (headPosition == head.pcm().length) {
                    chunks.pollFirst();
                    headPosition = 0;
                }
            }
        } finally {
            lock.unlock();
        }
        trimmedSamples.addAndGet(dropped);
        return Pcm.millis(dropped);
    }

    /** Agent audio dropped to keep the queue shallow ({@link #trimTo}), in ms. */
    public long trimmedMillis() {
        return Pcm.millis(trimmedSamples.get());
    }

    @Override
    public int queuedMillis() {
        lock.lock();
        try {
            return Pcm.millis(queuedSamples);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setListener(PlayoutListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Agent audio refused because the queue was full, in ms. */
    public long droppedMillis() {
        return Pcm.millis(droppedSamples.get());
    }

    @Override
    public String toString() {
        return "PlayoutQueue(queued=" + queuedMillis() + "ms)";
    }
}
