package dev.voicebridge.worker.live;

import java.util.Set;

/**
 * What a GPT-Live session reports, parsed once at the adapter edge. Responses-backend events come
 * wrapped in {@code response.event}; the ones a call acts on (a function call to run, a backend
 * response finishing with its token usage) are lifted out here, the rest stay
 * {@link BackendEvent}. Types we do not act on arrive as {@link Unknown}, so new server events never
 * break a call.
 */
public sealed interface LiveServerEvent {

    /** {@code session.started}: the session is ready for audio and commands. */
    record SessionStarted(String sessionId, String model, String voice, long expiresAtEpochSecond)
            implements LiveServerEvent {}

    /** {@code session.updated}: a {@code session.update} (delegation settings) was applied. */
    record SessionUpdated(String sessionId) implements LiveServerEvent {}

    /**
     * {@code session.output_audio.delta}, decoded: the model's output stream, silence included,
     * paced in real time by the service.
     */
    record OutputAudio(short[] pcm) implements LiveServerEvent {}

    /** {@code session.input_transcript.delta}: the caller's words, times on the session timeline. */
    record InputTranscript(String delta, long startMs, long endMs) implements LiveServerEvent {}

    /** {@code session.output_transcript.delta}: the model's words as spoken, on the session timeline. */
    record OutputTranscript(String delta, long startMs, long endMs) implements LiveServerEvent {}

    /** {@code session.instructions|thinking|commentary.appended}: our append took its place. */
    record ContextAppended(String kind, String clientEventId, long startMs, long endMs) implements LiveServerEvent {}

    /** {@code session.input_audio.muted} / {@code unmuted}. */
    record InputMuted(boolean muted) implements LiveServerEvent {}

    /**
     * {@code session.delegation.created}: the model handed work to {@code target} ({@code client},
     * {@code responses} or {@code decisions}); metadata only, no task text.
     */
    record DelegationCreated(String delegationId, String target, String responseId, long offsetMs)
            implements LiveServerEvent {}

    /** A backend {@code response.created} (a delegated response, or its continuation, began). */
    record BackendResponseStarted(String delegationId, String responseId) implements LiveServerEvent {}

    /**
     * A completed {@code function_call} item ({@code response.output_item.done}): a tool we run.
     * Answer with a {@code FunctionCallOutput} per call, then {@code ContinueResponse}.
     */
    record FunctionCall(String delegationId, String itemId, String callId, String name, String arguments)
            implements LiveServerEvent {}

    /**
     * A backend response ended: {@code response.completed}, {@code failed} or {@code incomplete}.
     * {@code usage} is the backend model's token usage (billed apart from the voice session).
     */
    record BackendResponseDone(
            String delegationId, String responseId, String status, BackendUsage usage, String errorMessage)
            implements LiveServerEvent {}

    /** Any other wrapped backend event (text deltas, argument deltas, …), by its inner type. */
    record BackendEvent(String delegationId, String type) implements LiveServerEvent {}

    /**
     * {@code session.usage.updated}: cumulative session seconds (not an increment), and the
     * context-window use when known (null otherwise).
     */
    record UsageUpdated(double seconds, Double contextUsageRatio) implements LiveServerEvent {}

    /**
     * {@code session.closed}: the session is finalised. {@code reason}: {@code close_requested},
     * {@code expired} (duration limit), {@code content} (safety), {@code remote_hangup},
     * {@code connection_lost}. {@code seconds} is the final billed duration.
     */
    record SessionClosed(String reason, double seconds) implements LiveServerEvent {}

    /** An {@code error} event; {@code clientEventId} names the command that caused it, when known. */
    record ServerError(String type, String code, String message, String param, String clientEventId)
            implements LiveServerEvent {
        private static final Set<String> FATAL =
                Set.of("invalid_api_key", "insufficient_quota", "account_deactivated", "billing_hard_limit_reached");

        /** Errors no retry can cure: the key or the account. */
        public boolean isFatal() {
            return FATAL.contains(code);
        }
    }

    /** An {@code info} notice. */
    record Info(String code, String message) implements LiveServerEvent {}

    /** The socket went away without {@code session.closed}: finalisation is not confirmed. */
    record ConnectionClosed(int code, String reason) implements LiveServerEvent {}

    record Unknown(String type) implements LiveServerEvent {}

    /** Token usage of one backend Responses response; input counts include the cached tokens. */
    record BackendUsage(long inputTokens, long cachedInputTokens, long outputTokens, long reasoningTokens) {
        public static final BackendUsage ZERO = new BackendUsage(0, 0, 0, 0);

        public BackendUsage plus(BackendUsage o) {
            return new BackendUsage(
                    inputTokens + o.inputTokens,
                    cachedInputTokens + o.cachedInputTokens,
                    outputTokens + o.outputTokens,
                    reasoningTokens + o.reasoningTokens);
        }
    }
}
