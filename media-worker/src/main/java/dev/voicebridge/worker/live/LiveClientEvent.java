package dev.voicebridge.worker.live;

/**
 * What we send to a GPT-Live session ({@link LiveEventWriter} renders the JSON). There is no
 * event to cancel or truncate the model's speech: barge-in is the model's own decision.
 */
public sealed interface LiveClientEvent {

    /** {@code session.start}: the first message on the socket, sent once. */
    record Start(LiveSessionConfig session) implements LiveClientEvent {}

    /** {@code session.input_audio.append}: mono PCM16 at 24 kHz; not acknowledged. */
    record AppendAudio(short[] pcm) implements LiveClientEvent {}

    /**
     * {@code session.instructions.append}: a standing developer instruction (≤ 500 tokens).
     *
     * @param delegationId null for general context, else an open client delegation's id
     */
    record AppendInstructions(String delegationId, String content) implements LiveClientEvent {}

    /** {@code session.thinking.append}: silent context the model may draw on (≤ 500 tokens). */
    record AppendThinking(String delegationId, String content) implements LiveClientEvent {}

    /**
     * {@code session.commentary.append}: context the model communicates, in its own words
     * (≤ 500 tokens). How a client asks the model to speak first, and how a client delegation is
     * answered.
     */
    record AppendCommentary(String delegationId, String content) implements LiveClientEvent {}

    /** {@code response.item.create} of a {@code function_call_output}: queued, not acknowledged. */
    record FunctionCallOutput(String callId, String output) implements LiveClientEvent {}

    /** {@code response.create}: continues a delegated response once every call has its output. */
    record ContinueResponse() implements LiveClientEvent {}

    /** {@code session.input_audio.mute} / {@code unmute}; the session stays active (and billed). */
    record MuteInput(boolean muted) implements LiveClientEvent {}

    /** {@code session.close}: the service finalises and answers {@code session.closed} with usage. */
    record Close() implements LiveClientEvent {}
}
