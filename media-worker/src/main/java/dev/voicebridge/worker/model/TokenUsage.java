package dev.voicebridge.worker.model;

/**
 * Tokens a model billed. Input counts include the cached tokens; {@code cachedText + cachedAudio}
 * is the cached part of the input. A Realtime response's usage fills every field; a text-only
 * Responses backend uses the text fields.
 */
public record TokenUsage(
        long inputTokens,
        long outputTokens,
        long inputTextTokens,
        long inputAudioTokens,
        long cachedTokens,
        long cachedTextTokens,
        long cachedAudioTokens,
        long outputTextTokens,
        long outputAudioTokens) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Text-only usage (a Responses backend model): input with its cached part, output. */
    public static TokenUsage text(long input, long cachedInput, long output) {
        return new TokenUsage(input, output, input, 0, cachedInput, cachedInput, 0, output, 0);
    }

    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(
                inputTokens + o.inputTokens,
                outputTokens + o.outputTokens,
                inputTextTokens + o.inputTextTokens,
                inputAudioTokens + o.inputAudioTokens,
                cachedTokens + o.cachedTokens,
                cachedTextTokens + o.cachedTextTokens,
                cachedAudioTokens + o.cachedAudioTokens,
                outputTextTokens + o.outputTextTokens,
                outputAudioTokens + o.outputAudioTokens);
    }

    public boolean isZero() {
        return equals(ZERO);
    }
}
