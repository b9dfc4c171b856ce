package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;

/**
 * What one call's agent reports about itself for tracing and the worker's metrics. Called on the agent's owner thread
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

    /** One agent turn finished (Realtime: {@code response.created} → {@code response.done}). */
    default void turn(AgentTurn turn) {}

    /** The model billed this much more (tokens, session seconds, backend tokens): the cost's source. */
    default void usage(ModelUsage delta) {}

    /** The caller barged in: the agent's playing audio was cut. */
    default void interrupted() {}

    /** Both observers, {@code first} told first (e.g. the call's trace, then the worker's metrics). */
    static AgentObserver both(AgentObserver first, AgentObserver second) {
        return new AgentObserver() {
            @Override
            public void modelConnected(long startNanos, long endNanos, boolean reconnect) {
                first.modelConnected(startNanos, endNanos, reconnect);
                second.modelConnected(startNanos, endNanos, reconnect);
            }

            @Override
            public void modelConnectFailed(long startNanos, long endNanos, String why) {
                first.modelConnectFailed(startNanos, endNanos, why);
                second.modelConnectFailed(startNanos, endNanos, why);
            }

            @Override
            public void turn(AgentTurn turn) {
                first.turn(turn);
                second.turn(turn);
            }

            @Override
            public void usage(ModelUsage delta) {
                first.usage(delta);
                second.usage(delta);
            }

            @Override
            public void interrupted() {
                first.interrupted();
                second.interrupted();
            }
        };
    }

    /**
     * @param latencyMillis caller speech stopped → first audio of this response sent as RTP; -1
     *     when the response answered no caller turn (the greeting, a tool result) or its audio had
     *     not started playing when the response was done
     * @param status the model's response status (completed, cancelled, incomplete, failed)
     * @param usage the turn's voice tokens (Realtime; zero for APIs billed by session time)
     */
    record AgentTurn(long startNanos, long endNanos, long latencyMillis, String status, TokenUsage usage) {}
}
