package dev.voicebridge.worker.agent;

import dev.voicebridge.api.agent.ListPrice;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a call's usage costs: the list prices of the agent's model (docs/agent.md, "Models and
 * prices"), with every field the VoiceAgent's price table sets taking precedence. One formula for
 * both billing models: the voice model's tokens by kind, session minutes, and the backend model's
 * tokens (each zero where the API does not bill it).
 */
public record Prices(ListPrice list) {

    /** The prices of an agent's calls on {@code model} (the call's model, overrides applied). */
    public static Prices of(VoiceAgentSpec spec, String model) {
        var api = ModelApis.byName(spec.getApi())
                .orElseGet(() -> ModelApis.byName(ModelApis.REALTIME).orElseThrow());
        String m = model != null ? model : spec.getModel() != null ? spec.getModel() : api.defaultModel();
        return new Prices(api.listPrice(m, spec.getBackendModel()).overriddenBy(spec.getPricing()));
    }

    /**
     * Cost of accumulated usage, rounded to a millionth of a dollar. Input counts include cached
     * tokens, so the uncached part of each kind is billed at the full price and the cached part at
     * the cached price; session seconds at the active per-minute price (a WebSocket session is
     * never on standby).
     */
    public BigDecimal cost(ModelUsage u) {
        TokenUsage v = u.voice();
        TokenUsage b = u.backend();
        double micro = (v.inputTextTokens() - v.cachedTextTokens()) * list.textInput()
                + v.cachedTextTokens() * list.cachedTextInput()
                + (v.inputAudioTokens() - v.cachedAudioTokens()) * list.audioInput()
                + v.cachedAudioTokens() * list.cachedAudioInput()
                + v.outputTextTokens() * list.textOutput()
                + v.outputAudioTokens() * list.audioOutput()
                + u.sessionSeconds() / 60.0 * list.activePerMinute() * 1_000_000
                + (b.inputTokens() - b.cachedTokens()) * list.backendInput()
                + b.cachedTokens() * list.backendCachedInput()
                + b.outputTokens() * list.backendOutput();
        return BigDecimal.valueOf(micro).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);
    }
}
