package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.worker.realtime.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * US dollars per one million tokens per token kind, with {@code gpt-realtime} list prices as
 * defaults for whatever the VoiceAgent's price table leaves out (PROTOCOLS.md: $32 / $64 per 1M
 * audio input / output tokens; cached input $0.40; text $4 in / $16 out).
 */
public record Prices(
        double audioInput,
        double cachedAudioInput,
        double audioOutput,
        double textInput,
        double cachedTextInput,
        double textOutput) {

    public static final Prices GPT_REALTIME = new Prices(32, 0.40, 64, 4, 0.40, 16);

    public static Prices from(PriceTable t) {
        if (t == null) {
            return GPT_REALTIME;
        }
        var d = GPT_REALTIME;
        return new Prices(
                or(t.getAudioInput(), d.audioInput),
                or(t.getCachedAudioInput(), d.cachedAudioInput),
                or(t.getAudioOutput(), d.audioOutput),
                or(t.getTextInput(), d.textInput),
                or(t.getCachedTextInput(), d.cachedTextInput),
                or(t.getTextOutput(), d.textOutput));
    }

    /**
     * Cost of accumulated usage. Input counts include cached tokens, so the uncached part of each
     * kind is billed at the full price and the cached part at the cached price.
     */
    public BigDecimal cost(Usage u) {
        double micro = (u.inputTextTokens() - u.cachedTextTokens()) * textInput
                + u.cachedTextTokens() * cachedTextInput
                + (u.inputAudioTokens() - u.cachedAudioTokens()) * audioInput
                + u.cachedAudioTokens() * cachedAudioInput
                + u.outputTextTokens() * textOutput
                + u.outputAudioTokens() * audioOutput;
        return BigDecimal.valueOf(micro).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);
    }

    private static double or(Double v, double d) {
        return v == null ? d : v;
    }
}
