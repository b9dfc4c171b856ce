package dev.voicebridge.worker.live;

import dev.voicebridge.media.audio.EnergyVad;

/**
 * Turns GPT-Live's continuous output into what the call agent knows from a turn-based API: talk
 * spurts (each an item of agent audio, so playout, latency and played time work per utterance) and
 * whether the agent is busy. There is no "response done" for the voice (docs/agent.md), so the
 * agent is busy while it speaks (until {@code turnGap} of silence), while a delegated backend
 * response runs, and for a grace period after we asked it to speak. Owned by the session's owner
 * thread.
 */
final class LiveTurns {
    private final String itemPrefix;
    private final LiveTuning tuning;
    private String spurt;
    private int spurts;
    private long quietMillis;
    private int backendResponses;
    private long replyDeadlineNanos;
    private boolean opened;

    LiveTurns(String itemPrefix, LiveTuning tuning) {
        this.itemPrefix = itemPrefix;
        this.tuning = tuning;
    }

    /**
     * One output chunk. Returns the item id the chunk's speech belongs to, or null for silence
     * (which is not played from the queue).
     */
    String audio(short[] pcm) {
        opened = false;
        if (EnergyVad.rms(pcm) >= tuning.silenceRms()) {
            if (spurt == null) {
                spurt = itemPrefix + (++spurts);
                opened = true;
            }
            quietMillis = 0;
            replyDeadlineNanos = 0; // it spoke: whatever we asked for is under way
            return spurt;
        }
        if (spurt != null) {
            quietMillis += pcm.length * 1000L / 24_000;
            if (quietMillis >= tuning.turnGap().toMillis()) {
                spurt = null;
            }
        }
        return null;
    }

    /** Whether the last chunk opened a new spurt (the model began an utterance). */
    boolean opened() {
        return opened;
    }

    void backendStarted() {
        backendResponses++;
    }

    void backendDone() {
        backendResponses = Math.max(0, backendResponses - 1);
    }

    /** We asked the model to say something: busy until it does, at most for the grace period. */
    void replyRequested(long nowNanos) {
        replyDeadlineNanos = nowNanos + tuning.replyGrace().toNanos();
    }

    boolean busy(long nowNanos) {
        return spurt != null || backendResponses > 0 || (replyDeadlineNanos != 0 && nowNanos - replyDeadlineNanos < 0);
    }

    boolean speaking() {
        return spurt != null;
    }
}
