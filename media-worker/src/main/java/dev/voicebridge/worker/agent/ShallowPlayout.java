package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.Pcm;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the playout queue shallow for a model that stops talking by itself: what is queued ahead is
 * what the caller still hears after it stopped. The queue never holds more than the adapter's
 * depth (the oldest audio beyond it is dropped). A model streaming at real-time pace arrives as
 * fast as the pacer plays, so a burst (after a network or scheduling stall) would otherwise leave
 * the queue that deep for good; once it has stayed more than a frame deep for half a second, it
 * is brought back to one frame, dropping 20 ms of audio once. Owner thread only.
 */
final class ShallowPlayout {
    private static final long RECENTER_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final int maxMillis;
    private long deepSince = -1;

    /** @param depthFrames the adapter's bound, in 20 ms frames */
    ShallowPlayout(int depthFrames) {
        this.maxMillis = depthFrames * Pcm.FRAME_MILLIS;
    }

    /** Right after audio was queued; returns the milliseconds dropped. */
    int afterEnqueue(AgentAudioOutput output, long now) {
        int dropped = output.trimTo(maxMillis);
        if (output.queuedMillis() <= Pcm.FRAME_MILLIS) {
            deepSince = -1;
        } else if (deepSince < 0) {
            deepSince = now;
        } else if (now - deepSince > RECENTER_AFTER_NANOS) {
            dropped += output.trimTo(Pcm.FRAME_MILLIS);
            deepSince = -1;
        }
        return dropped;
    }
}
