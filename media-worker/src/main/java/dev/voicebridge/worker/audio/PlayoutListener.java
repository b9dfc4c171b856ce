package dev.voicebridge.worker.audio;

/** What the paced send path actually sent. Called on the pacing thread: implementations only enqueue. */
public interface PlayoutListener {
    /** The first frame of an item went out as RTP (used for response latency). */
    default void onItemStarted(String itemId, long nanoTime) {}

    /** The last queued frame of an item went out; {@code playedMillis} of it were sent in total. */
    default void onItemFinished(String itemId, int playedMillis) {}
}
