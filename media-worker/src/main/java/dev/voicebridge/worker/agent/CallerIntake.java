package dev.voicebridge.worker.agent;

import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.ModelSession;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller's audio on its way to the model. The media path only offers frames into a bounded
 * queue (drops counted) and schedules one drain at a time on the agent's owner thread, which runs
 * the worker's own speech detector over every frame and sends the audio to the current session in
 * batches of {@code append-frames}.
 */
final class CallerIntake {
    /** What the owner thread learns from the caller's audio. */
    interface Ear {
        /** The caller's voice crossed the threshold: {@code STARTED}, {@code STOPPED}, or still speaking. */
        void heard(EnergyVad.Transition edge, boolean speaking, long nanoTime);
    }

    private final ArrayBlockingQueue<short[]> frames;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final EnergyVad vad;
    private short[] batch;
    private int batchSamples;

    CallerIntake(AgentConfig config) {
        this.frames = new ArrayBlockingQueue<>(config.callerQueueFrames());
        this.batch = new short[Pcm.FRAME_SAMPLES * config.appendFrames()];
        // 60 ms to start, 500 ms of quiet to stop: a pause between words is not the end of speech
        this.vad = new EnergyVad(config.callerSpeechRms(), 3, 25);
    }

    /** Media thread: copies the frame; true when the caller must schedule a drain. */
    boolean offer(short[] frame) {
        if (!frames.offer(frame.clone())) {
            dropped.incrementAndGet();
        }
        return drainScheduled.compareAndSet(false, true);
    }

    /**
     * Owner thread: takes every queued frame. Before media is up the audio has nowhere to go; while
     * there is no session (reconnecting) it is heard but not sent.
     */
    void drain(boolean mediaUp, ModelSession session, Ear ear) {
        drainScheduled.set(false);
        short[] frame;
        while ((frame = frames.poll()) != null) {
            if (!mediaUp) {
                continue;
            }
            var edge = vad.accept(frame);
            ear.heard(edge, vad.speaking(), System.nanoTime());
            if (session == null) {
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
    }

    boolean speaking() {
        return vad.speaking();
    }

    long dropped() {
        return dropped.get();
    }
}
