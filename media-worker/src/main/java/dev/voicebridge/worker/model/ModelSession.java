package dev.voicebridge.worker.model;

import java.util.concurrent.CompletableFuture;

/**
 * One model session, driven by the call agent. Every method is called on the agent's owner
 * executor (the one given to {@link ModelProvider#open}) and never blocks; before
 * {@link ModelEvent.Ready} the agent sends nothing but {@link #close()} or {@link #abort()}.
 */
public interface ModelSession {

    /**
     * Caller audio: 24 kHz PCM16, whole 20 ms frames. The array is lent for the length of the call
     * (the agent refills it for the next append); an implementation that needs the samples later
     * copies them.
     */
    void callerAudio(short[] pcm);

    /** The agent says something now, in the model's own words: the greeting, the idle goodbye. */
    void say(String instructions);

    /** A caller turn that arrives as text (a DTMF key press), which the model answers. */
    void callerText(String text);

    /**
     * The result of a {@link ModelEvent.ToolCall}. The adapter lets the model continue once the
     * protocol allows it (every call answered, the calling response done).
     *
     * @param respond false when the model must not speak again because of it (end_call: the
     *     goodbye was said before the call, and the call is ending)
     */
    void toolResult(String callId, String output, boolean respond);

    /**
     * Client-side barge-in ({@link Capabilities.BargeIn#CLIENT_TRUNCATES} only): our playout of
     * {@code itemId} was cut after {@code playedMillis} actually sent to the caller.
     */
    void interrupted(String itemId, int playedMillis);

    /**
     * Ends the session gracefully. Completes with the usage the service reports only at the end
     * (GPT-Live's final seconds), not reported as an event, or {@link ModelUsage#ZERO}; bounded by
     * the adapter's close timeout. No {@link ModelEvent.Closed} follows.
     */
    CompletableFuture<ModelUsage> close();

    /** Drops the session at once (a connect that is no longer wanted). */
    void abort();
}
