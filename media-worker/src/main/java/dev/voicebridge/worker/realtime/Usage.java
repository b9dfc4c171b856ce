package dev.voicebridge.worker.realtime;

/**
 * Token usage of one response ({@code response.done.response.usage}). Input counts include the
 * cached tokens; {@code cachedText + cachedAudio} is the cached part of the input.
 */
public record Usage(
        long inputTokens,
        long outputTokens,
        long inputTextTokens,
        long inputAudioTokens,
        long cachedTokens,
        long cachedTextTokens,
        long cachedAudioTokens,
        long outputTextTokens,
        long outputAudioTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Usage plus(Usage o) {
        return new Usage(
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
}
