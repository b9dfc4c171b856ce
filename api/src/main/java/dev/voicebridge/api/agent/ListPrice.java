package dev.voicebridge.api.agent;

import dev.voicebridge.api.v1alpha1.PriceTable;

/**
 * US dollar prices of one model, for both billing models: token prices per one million tokens
 * (the Realtime API's voice tokens by kind), session prices per minute (GPT-Live), and the token
 * prices of the Responses model GPT-Live delegates tool calls to. A model's list price has zeros
 * for the billing model it does not use.
 */
public record ListPrice(
        double audioInput,
        double cachedAudioInput,
        double audioOutput,
        double textInput,
        double cachedTextInput,
        double textOutput,
        double activePerMinute,
        double standbyPerMinute,
        double backendInput,
        double backendCachedInput,
        double backendOutput) {

    public static final ListPrice ZERO = new ListPrice(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Token prices of a Realtime model, per one million tokens. */
    public static ListPrice tokens(
            double audioInput,
            double cachedAudioInput,
            double audioOutput,
            double textInput,
            double cachedTextInput,
            double textOutput) {
        return new ListPrice(
                audioInput, cachedAudioInput, audioOutput, textInput, cachedTextInput, textOutput, 0, 0, 0, 0, 0);
    }

    /** Session prices of a GPT-Live model, per minute. */
    public static ListPrice session(double activePerMinute, double standbyPerMinute) {
        return new ListPrice(0, 0, 0, 0, 0, 0, activePerMinute, standbyPerMinute, 0, 0, 0);
    }

    /** These prices with the backend model's token prices (per one million tokens). */
    public ListPrice withBackend(double input, double cachedInput, double output) {
        return new ListPrice(
                audioInput,
                cachedAudioInput,
                audioOutput,
                textInput,
                cachedTextInput,
                textOutput,
                activePerMinute,
                standbyPerMinute,
                input,
                cachedInput,
                output);
    }

    /** These list prices with every field the VoiceAgent's price table sets taking precedence. */
    public ListPrice overriddenBy(PriceTable t) {
        if (t == null) {
            return this;
        }
        return new ListPrice(
                or(t.getAudioInput(), audioInput),
                or(t.getCachedAudioInput(), cachedAudioInput),
                or(t.getAudioOutput(), audioOutput),
                or(t.getTextInput(), textInput),
                or(t.getCachedTextInput(), cachedTextInput),
                or(t.getTextOutput(), textOutput),
                or(t.getActivePerMinute(), activePerMinute),
                or(t.getStandbyPerMinute(), standbyPerMinute),
                or(t.getBackendInput(), backendInput),
                or(t.getBackendCachedInput(), backendCachedInput),
                or(t.getBackendOutput(), backendOutput));
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }
}
