package dev.voicebridge.worker.realtime;

import dev.voicebridge.worker.model.TokenUsage;

/**
 * What a realtime session reports upward: the GA server events the agent acts on, plus the
 * connection's own end. Parsed once, at the adapter edge; the agent only sees these records.
 * Server event types we do not act on arrive as {@link Unknown} and are ignored, so new event
 * types never break a call.
 */
public sealed interface RealtimeEvent {

    record SessionCreated(String sessionId, String model) implements RealtimeEvent {}

    record SessionUpdated(String sessionId) implements RealtimeEvent {}

    /** Server VAD heard the caller start speaking: the barge-in trigger. */
    record SpeechStarted(String itemId, long audioStartMs) implements RealtimeEvent {}

    record SpeechStopped(String itemId, long audioEndMs) implements RealtimeEvent {}

    record ResponseCreated(String responseId) implements RealtimeEvent {}

    /** An output item (assistant message or function call) opened in a response. */
    record OutputItemAdded(String responseId, String itemId, String itemType) implements RealtimeEvent {}

    /** {@code response.output_audio.delta}, already decoded to 24 kHz PCM16 samples. */
    record OutputAudioDelta(String responseId, String itemId, short[] pcm) implements RealtimeEvent {}

    record OutputAudioDone(String responseId, String itemId) implements RealtimeEvent {}

    record OutputTranscriptDone(String itemId, String transcript) implements RealtimeEvent {}

    /** {@code conversation.item.input_audio_transcription.completed}: what the caller said. */
    record InputTranscriptCompleted(String itemId, String transcript) implements RealtimeEvent {}

    record FunctionCall(String responseId, String itemId, String callId, String name, String arguments)
            implements RealtimeEvent {}

    /** {@code response.done}; {@code status} is completed, cancelled, failed or incomplete. */
    record ResponseDone(String responseId, String status, TokenUsage usage) implements RealtimeEvent {}

    /** An {@code error} event; most are recoverable, a few are benign. */
    record ServerError(String type, String code, String message, String eventId) implements RealtimeEvent {
        public boolean isBenign() {
            return "response_cancel_not_active".equals(code) || "conversation_already_has_active_response".equals(code);
        }
    }

    /** The connection is gone (remote close, network error, or a failed connect). */
    record ConnectionClosed(int code, String reason) implements RealtimeEvent {}

    record Unknown(String type) implements RealtimeEvent {}
}
