package dev.voicebridge.worker.realtime;

/**
 * What the agent sends to a realtime session. Adapters turn these into GA JSON
 * ({@link ClientEventWriter}) or act on them directly (the embedded agent).
 */
public sealed interface ClientEvent {

    record SessionUpdate(SessionConfig session) implements ClientEvent {}

    /** {@code input_audio_buffer.append}: mono PCM16 at 24 kHz, usually one or a few 20 ms frames. */
    record AppendAudio(short[] pcm) implements ClientEvent {}

    /** {@code response.create}; {@code instructions} (nullable) apply to this response only. */
    record CreateResponse(String instructions) implements ClientEvent {}

    record CancelResponse() implements ClientEvent {}

    /** {@code conversation.item.truncate} of an assistant item's audio, content index 0. */
    record Truncate(String itemId, long audioEndMs) implements ClientEvent {}

    /** {@code conversation.item.create} of a user text message (e.g. the caller's DTMF keys). */
    record UserText(String text) implements ClientEvent {}

    /** {@code conversation.item.create} of a {@code function_call_output}. */
    record FunctionCallOutput(String callId, String output) implements ClientEvent {}
}
