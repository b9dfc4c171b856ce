package dev.voicebridge.worker.audio;

/**
 * Agent → caller. The playout queue of one call: the agent plane enqueues audio by assistant item,
 * the paced send path takes 20 ms per tick (silence when empty). Thread-safe: the agent side and
 * the pacing clock use it concurrently. Implementations never block.
 */
public interface AgentAudioOutput {
    /**
     * Appends audio of one assistant item (any length; frames are cut by the send path). The array
     * is handed over: the queue reads it until it is played, so the caller does not change it
     * afterwards (the model adapters decode every delta into a new one).
     */
    void enqueue(String itemId, short[] pcm);

    /**
     * Barge-in: drops everything queued, taking effect by the next tick. Returns how much of the item
     * that was playing had actually been sent as RTP, so the agent can truncate it exactly.
     */
    Flushed flush();

    /** Milliseconds queued and not yet sent. */
    int queuedMillis();

    /**
     * Keeps the queue shallow: drops the oldest queued audio beyond {@code maxQueuedMillis} (for a
     * model that stops talking by itself, what is queued ahead is what the caller would still hear
     * after it stopped). Returns the milliseconds dropped.
     */
    int trimTo(int maxQueuedMillis);

    /**
     * The agent holds its audio back (a greeting asked for while the call is only pre-accepted)
     * until {@link #release()}. An output fed by the agent needs nothing (the agent keeps what it
     * holds); one whose audio does not pass through the agent (the relay) holds it itself.
     */
    default void hold() {}

    /** The agent's held audio may go to the caller now (the lead-in after the accept has passed). */
    default void release() {}

    /** Observers of what is really sent (called on the pacing thread: must only enqueue). */
    void setListener(PlayoutListener listener);

    /**
     * What a flush removed.
     *
     * @param itemId the item that was playing, or null when nothing was playing
     * @param playedMillis milliseconds of that item sent as RTP before the flush
     * @param droppedMillis milliseconds discarded from the queue
     */
    record Flushed(String itemId, int playedMillis, int droppedMillis) {
        public static final Flushed NOTHING = new Flushed(null, 0, 0);

        public boolean wasPlaying() {
            return itemId != null;
        }
    }
}
