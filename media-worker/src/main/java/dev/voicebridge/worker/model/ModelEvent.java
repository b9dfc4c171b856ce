package dev.voicebridge.worker.model;

import java.time.Instant;

/**
 * What a model session reports to the call agent, whatever its protocol. Delivered in order on the
 * agent's owner executor. A session reports {@link Ready} once (or {@link Closed} when it never got
 * there), then the conversation, then at most one {@link Closed}.
 */
public sealed interface ModelEvent {

    /**
     * The session is configured and takes audio and commands.
     *
     * @param expiresAt when the service will end the session, if it says so (null otherwise)
     */
    record Ready(String sessionId, Instant expiresAt) implements ModelEvent {}

    /** Agent speech to play, 24 kHz PCM16, belonging to one item (an answer, a talk spurt). */
    record AgentAudio(String itemId, short[] pcm) implements ModelEvent {}

    /**
     * The model's own detector heard the caller start or stop speaking (only adapters whose
     * {@link Capabilities#reportsCallerSpeech()}). A start is the trigger of client-side barge-in.
     */
    record CallerSpeech(boolean started) implements ModelEvent {}

    enum Role {
        CALLER,
        AGENT
    }

    /**
     * One transcript line. Times are on the session timeline in milliseconds when the API says
     * (GPT-Live), else -1.
     */
    record Transcript(Role role, String text, long startMs, long endMs) implements ModelEvent {}

    /** The model calls a function we run (end_call or an HTTP tool); answer with a tool result. */
    record ToolCall(String callId, String name, String arguments) implements ModelEvent {}

    /** The agent started a turn: a response is being generated, or the model began to speak. */
    record TurnStarted() implements ModelEvent {}

    /**
     * The agent's turn is over: the response is done, or the model fell quiet.
     *
     * @param status completed, cancelled, incomplete or failed
     * @param tokens the voice tokens of this turn, for its trace span (billing comes as {@link Usage})
     */
    record TurnDone(String status, TokenUsage tokens) implements ModelEvent {}

    /** Usage billed since the previous report (an increment, never a running total). */
    record Usage(ModelUsage delta) implements ModelEvent {}

    /** How an error affects the call. */
    enum Severity {
        /** Expected by the protocol (e.g. nothing to cancel): logged quietly. */
        BENIGN,
        /** Logged; the call goes on. */
        WARN,
        /** The session is unusable; a new one is opened (counts as a drop). */
        RECONNECT,
        /** No retry can help (key, quota, refused configuration): the call ends with AgentError. */
        FATAL
    }

    record Error(Severity severity, String code, String message) implements ModelEvent {}

    /**
     * The session is over without us closing it.
     *
     * @param reason why, for logs (the service's reason, or the transport's)
     * @param retryable whether opening another session may work (a drop, an expiry, an unreachable
     *     service); not after a refusal no retry can cure
     */
    record Closed(String reason, boolean retryable) implements ModelEvent {}
}
