package dev.voicebridge.worker.agent;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.ModelSession;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller's audio on its way to the model. The media path only offers frames into a bounded
 * queue (drops counted) and asks for a drain on the agent's owner thread once per batch of
 * {@code append-frames}, not per frame: waking a virtual thread costs a scheduler task, an unpark
 * and a carrier wake-up, 50 times a second per call if done per frame. The drain runs the worker's
 * own speech detector over every frame (so a speech edge is seen at most one batch late) and sends
 * what it took to the current session as one append.
 *
 * <p>Nothing is allocated per frame or per batch: frames are copied into slots allocated once (a
 * ring with one producer, the media thread, and one consumer, the owner thread), and the batch
 * array is lent to the session for the length of its call ({@link ModelSession#callerAudio}). A
 * copy per frame and a new batch per append were a seventh of the worker's allocation at 100
 * calls, and allocation is what sets how often the collector pauses every call's audio.
 */
final class CallerIntake {
    /** What the owner thread learns from the caller's audio. */
    interface Ear {
        /** The caller's voice crossed the threshold: {@code STARTED}, {@code STOPPED}, or still speaking. */
        void heard(EnergyVad.Transition edge, boolean speaking, long nanoTime);
    }

    private final short[][] slots;
    /** Frames ever queued: written by the producer only, after the frame's slot. */
    private final AtomicLong queued = new AtomicLong();
    /** Frames ever taken: written by the consumer only, once it is done with the frame's slot. */
    private final AtomicLong taken = new AtomicLong();

    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    private final int batchFrames;
    private final AtomicLong dropped = new AtomicLong();
    private final EnergyVad vad;
    private final short[] batch;
    private int batchSamples;

    CallerIntake(AgentConfig config) {
        this.slots = new short[config.callerQueueFrames()][Pcm.FRAME_SAMPLES];
        // a batch larger than the queue would never complete
        this.batchFrames = Math.min(config.appendFrames(), config.callerQueueFrames());
        this.batch = new short[Pcm.FRAME_SAMPLES * batchFrames];
        // 60 ms to start, 500 ms of quiet to stop: a pause between words is not the end of speech
        this.vad = new EnergyVad(config.callerSpeechRms(), 3, 25);
    }

    /**
     * Media thread (one at a time): copies the frame; true when the caller must schedule a drain,
     * which is once a batch of {@code append-frames} is waiting (and no drain is pending yet).
     */
    synchronized boolean offer(short[] frame) {
        if (frame.length != Pcm.FRAME_SAMPLES) {
            throw new IllegalArgumentException("a frame is " + Pcm.FRAME_SAMPLES + " samples, not " + frame.length);
        }
        long n = queued.get();
        long waiting = n - taken.get();
        if (waiting == slots.length) {
            dropped.incrementAndGet();
            return false; // the ring is full: a drain was asked for long ago
        }
        System.arraycopy(frame, 0, slots[(int) (n % slots.length)], 0, Pcm.FRAME_SAMPLES);
        // The slot before the count: a drain that sees the count sees the frame.
        queued.set(n + 1);
        return waiting + 1 >= batchFrames && drainScheduled.compareAndSet(false, true);
    }

    /**
     * Owner thread: takes every queued frame. Before media is up the audio has nowhere to go; while
     * there is no session (reconnecting) it is heard but not sent.
     */
    void drain(boolean mediaUp, ModelSession session, Ear ear) {
        drainScheduled.set(false);
        for (long n = taken.get(); n < queued.get(); n++) {
            take(slots[(int) (n % slots.length)], mediaUp, session, ear);
            taken.set(n + 1); // only now may the producer reuse the slot
        }
        // A drain that took less than a batch (a refused offer raced it) sends what it has: no
        // frame waits for the next batch, so batching adds at most one batch of delay.
        if (batchSamples > 0 && session != null) {
            session.callerAudio(Arrays.copyOf(batch, batchSamples));
            batchSamples = 0;
        }
    }

    private void take(short[] frame, boolean mediaUp, ModelSession session, Ear ear) {
        if (!mediaUp) {
            return;
        }
        var edge = vad.accept(frame);
        ear.heard(edge, vad.speaking(), System.nanoTime());
        if (session == null) {
            batchSamples = 0; // nobody to send to: what was collected is not for the next session
            return;
        }
        System.arraycopy(frame, 0, batch, batchSamples, Pcm.FRAME_SAMPLES);
        batchSamples += Pcm.FRAME_SAMPLES;
        if (batchSamples == batch.length) {
            session.callerAudio(batch); // lent: the session is done with it when it returns
            batchSamples = 0;
        }
    }

    boolean speaking() {
        return vad.speaking();
    }

    long dropped() {
        return dropped.get();
    }
}
