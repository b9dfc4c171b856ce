package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.audio.PlayoutListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the media plane of one call, driven by its own 20 ms clock like the real paced
 * send path: every tick it sends one frame of agent audio (or silence) "as RTP" and delivers one
 * caller frame (scripted, or silence) to the agent. Records everything it sent and every flush.
 */
final class FakeCallLeg implements AgentAudioOutput, AutoCloseable {
    record Sent(String itemId, short[] pcm, long nanoTime) {}

    record FlushRecord(Flushed result, long nanoTime, int framesSentBefore) {}

    private record Segment(String itemId, short[] pcm) {}

    private final ArrayDeque<Segment> queue = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<short[]> callerScript = new ConcurrentLinkedQueue<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<FlushRecord> flushes = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService clock;
    private volatile PlayoutListener listener = new PlayoutListener() {};
    private volatile CallerAudioSink caller;
    private String playing;
    private int offset;
    private long playedSamples;
    private int queuedSamples;

    FakeCallLeg() {
        clock = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("fake-pacer").daemon(true).factory());
        clock.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
    }

    void connectCaller(CallerAudioSink sink) {
        this.caller = sink;
    }

    /** Queues caller audio, delivered 20 ms per tick. */
    void say(short[] pcm) {
        for (int off = 0; off + Pcm.FRAME_SAMPLES <= pcm.length; off += Pcm.FRAME_SAMPLES) {
            var f = new short[Pcm.FRAME_SAMPLES];
            System.arraycopy(pcm, off, f, 0, Pcm.FRAME_SAMPLES);
            callerScript.add(f);
        }
    }

    boolean callerDone() {
        return callerScript.isEmpty();
    }

    private void tick() {
        var sink = caller;
        if (sink != null) {
            var f = callerScript.poll();
            sink.onCallerAudio(f == null ? new short[Pcm.FRAME_SAMPLES] : f, false);
        }
        var frame = new short[Pcm.FRAME_SAMPLES];
        String item = null;
        String started = null;
        String finished = null;
        int finishedMs = 0;
        synchronized (this) {
            var head = queue.peekFirst();
            if (head != null) {
                if (!head.itemId().equals(playing)) {
                    playing = head.itemId();
                    playedSamples = 0;
                    started = playing;
                }
                int n = Math.min(Pcm.FRAME_SAMPLES, head.pcm().length - offset);
                System.arraycopy(head.pcm(), offset, frame, 0, n);
                offset += n;
                playedSamples += n;
                queuedSamples -= n;
                item = head.itemId();
                if (offset == head.pcm().length) {
                    queue.removeFirst();
                    offset = 0;
                    var nextHead = queue.peekFirst();
                    if (nextHead == null || !nextHead.itemId().equals(playing)) {
                        finished = playing;
                        finishedMs = Pcm.millis(playedSamples);
                        playing = null;
                    }
                }
            }
        }
        long now = System.nanoTime();
        sent.add(new Sent(item, frame, now));
        if (started != null) {
            listener.onItemStarted(started, now);
        }
        if (finished != null) {
            listener.onItemFinished(finished, finishedMs);
        }
    }

    @Override
    public synchronized void enqueue(String itemId, short[] pcm) {
        queue.addLast(new Segment(itemId, pcm.clone()));
        queuedSamples += pcm.length;
    }

    @Override
    public synchronized Flushed flush() {
        var result = playing == null
                ? new Flushed(null, 0, Pcm.millis(queuedSamples))
                : new Flushed(playing, Pcm.millis(playedSamples), Pcm.millis(queuedSamples));
        queue.clear();
        queuedSamples = 0;
        offset = 0;
        playing = null;
        flushes.add(new FlushRecord(result, System.nanoTime(), sent.size()));
        return result;
    }

    @Override
    public synchronized int trimTo(int maxQueuedMillis) {
        int max = maxQueuedMillis * Pcm.SAMPLE_RATE / 1000;
        int dropped = 0;
        while (queuedSamples > max) {
            var head = queue.peekFirst();
            int n = Math.min(head.pcm().length - offset, queuedSamples - max);
            offset += n;
            queuedSamples -= n;
            dropped += n;
            if (offset == head.pcm().length) {
                queue.removeFirst();
                offset = 0;
            }
        }
        return Pcm.millis(dropped);
    }

    @Override
    public synchronized int queuedMillis() {
        return Pcm.millis(queuedSamples);
    }

    @Override
    public void setListener(PlayoutListener listener) {
        this.listener = listener;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<FlushRecord> flushes() {
        return List.copyOf(flushes);
    }

    /** Samples of one item actually sent. */
    short[] sentOf(String itemId) {
        var out = new ArrayList<short[]>();
        for (var s : sent) {
            if (itemId.equals(s.itemId())) {
                out.add(s.pcm());
            }
        }
        var pcm = new short[out.size() * Pcm.FRAME_SAMPLES];
        for (int i = 0; i < out.size(); i++) {
            System.arraycopy(out.get(i), 0, pcm, i * Pcm.FRAME_SAMPLES, Pcm.FRAME_SAMPLES);
        }
        return pcm;
    }

    /** Distinct item ids sent, in order of first frame. */
    List<String> itemsSent() {
        return sent.stream().map(Sent::itemId).filter(i -> i != null).distinct().toList();
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
