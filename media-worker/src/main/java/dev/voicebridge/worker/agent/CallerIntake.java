package dev.voicebridge.worker.agent;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.ModelSession;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller's audio on its way to the model. The media path only offers frames into a bounded
 * queue (drops counted) and asks for a drain on the agent's owner thread once per batch of
 * {@code append-frames}, not per frame: waking a virtual thread costs a scheduler task, an unpark
 * and a carrier wake-up, 50 times a second per call if done per frame. The drain runs the worker's
 * own speech detector over every frame (so a speech edge is seen at most one batch late) and sends
 * what it took to the current session as one append.
 */
final class CallerIntake {
    /** What the owner thread learns from the caller's audio. */
    interface Ear {
        /** The caller's voice crossed the threshold: {@code STARTED}, {@code STOPPED}, or still speaking. */
        void heard(EnergyVad.Transition edge, boolean speaking, long nanoTime);
    }

    private final ArrayBlockingQueue<short[]> frames;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Frames queued and not yet taken by a drain: a drain is asked for when a batch is complete. */
    private final AtomicInteger undrained = new AtomicInteger();

    private final int batchFrames;
    private final AtomicLong dropped = new AtomicLong();
    private final EnergyVad vad;
    private short[] batch;
    private int batchSamples;

    CallerIntake(AgentConfig config) {
        this.frames = new ArrayBlockingQueue<>(config.callerQueueFrames());
        // a batch larger than the queue would never complete
        this.batchFrames = Math.min(config.appendFrames(), config.callerQueueFrames());
        this.batch = new short[Pcm.FRAME_SAMPLES * batchFrames];
        // 60 ms to start, 500 ms of quiet to stop: a pause between words is not the end of speech
        this.vad = new EnergyVad(config.callerSpeechRms(), 3, 25);
    }

    /**
     * Media thread: copies the frame; true when the caller must schedule a drain, which is once a
     * batch of {@code append-frames} has queued since the last drain (and no drain is pending yet).
     */
    boolean offer(short[] frame) {
        if (!frames.offer(frame.clone())) {
            dropped.incrementAndGet();
            return false; // the queue is full: a drain was asked for long ago
        }
        // Queued before counted: a drain that is pending when this one is refused takes the frame.
        return undrained.incrementAndGet() >= batchFrames && drainScheduled.compareAndSet(false, true);
    }

    /**
     * Owner thread: takes every queued frame. Before media is up the audio has nowhere to go; while
     * there is no session (reconnecting) it is heard but not sent.
     */
    void drain(boolean mediaUp, ModelSession session, Ear ear) {
        drainScheduled.set(false);
        short[] frame;
        while ((frame = frames.poll()) != null) {
            undrained.decrementAndGet();
            if (!mediaUp) {
                continue;
            }
            var edge = vad.accept(frame);
            ear.heard(edge, vad.speaking(), System.nanoTime());
            if (session == null) {
                batchSamples = 0; // nobody to send to: what was collected is not for the next session
                continue;
            }
            System.arraycopy(frame, 0, batch, batchSamples, Pcm.FRAME_SAMPLES);
            batchSamples += Pcm.FRAME_SAMPLES;
            if (batchSamples == batch.length) {
                session.callerAudio(batch);
                batch = new short[batch.length];
                batchSamples = 0;
            }
        }
        // A drain that took less than a batch (a refused offer raced it) sends what it has: no
        // frame waits for the next batch, so batching adds at most one batch of delay.
        if (batchSamples > 0 && session != null) {
            session.callerAudio(Arrays.copyOf(batch, batchSamples));
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
