package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.realtime.Usage;

/**
 * What one call's agent reports about itself for tracing. Called on the agent's owner thread
 * (never on a media thread); implementations must not block. Times are {@link System#nanoTime()}.
 */
public interface AgentObserver {
    AgentObserver NONE = new AgentObserver() {};

    /**
     * A primary model session became usable (connected and configured).
     *
     * @param reconnect false for the call's first session, true after a lost one
     */
    default void modelConnected(long startNanos, long endNanos, boolean reconnect) {}

    /** A primary model session could not be opened; {@code why} names the failure, not its text. */
    default void modelConnectFailed(long startNanos, long endNanos, String why) {}

    /** One agent response finished ({@code response.created} → {@code response.done}). */
    default void turn(AgentTurn turn) {}

    /**
     * @param latencyMillis caller speech stopped → first audio of this response sent as RTP; -1
     *     when the response answered no caller turn (the greeting, a tool result) or its audio had
     *     not started playing when the response was done
     * @param status the model's response status (completed, cancelled, incomplete, failed)
     */
    record AgentTurn(long startNanos, long endNanos, long latencyMillis, String status, Usage usage) {}
}
