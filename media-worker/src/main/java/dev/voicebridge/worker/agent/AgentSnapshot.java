package dev.voicebridge.worker.agent;

import dev.voicebridge.api.agent.ModelApi;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.worker.model.ModelUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the agent of one call looks like now; the status writer maps it onto {@code status.agent}.
 *
 * @param api realtime, live or embedded
 * @param billing what the cost is computed from: the status shows tokens for a token-billed API,
 *     session seconds (and backend tokens) for one billed by session time
 * @param state Connecting, Ready, Reconnecting or Closed
 * @param lastLatencyMillis caller speech stopped → first agent audio sent as RTP, last turn (-1: none yet)
 * @param callerFramesDropped caller frames dropped because the owner fell behind
 */
public record AgentSnapshot(
        String sessionId,
        String api,
        ModelApi.Billing billing,
        String model,
        String voice,
        String state,
        int responses,
        int interruptions,
        int reconnects,
        ModelUsage usage,
        BigDecimal estimatedCostUsd,
        long lastLatencyMillis,
        long meanLatencyMillis,
        long callerFramesDropped,
        List<TranscriptLine> transcript) {

    public AgentStatus toStatus() {
        var s = new AgentStatus();
        s.setApi(api);
        s.setSessionId(sessionId);
        s.setModel(model);
        s.setVoice(voice);
        s.setState(state);
        s.setResponses(responses);
        s.setInterruptions(interruptions);
        s.setReconnects(reconnects);
        if (billing == ModelApi.Billing.SESSION_TIME) {
            // three decimals: the service reports milliseconds
            s.setSessionSeconds(Math.round(usage.sessionSeconds() * 1000) / 1000.0);
            var b = usage.backend();
            s.setBackendInputTokens(b.inputTokens());
            s.setBackendCachedInputTokens(b.cachedTokens());
            s.setBackendOutputTokens(b.outputTokens());
        } else {
            var v = usage.voice();
            s.setInputTokens(v.inputTokens());
            s.setOutputTokens(v.outputTokens());
            s.setCachedInputTokens(v.cachedTokens());
        }
        s.setEstimatedCostUsd(estimatedCostUsd.toPlainString());
        if (lastLatencyMillis >= 0) {
            s.setLastResponseLatencyMillis(lastLatencyMillis);
            s.setMeanResponseLatencyMillis(meanLatencyMillis);
        }
        s.setTranscript(transcript);
        s.setUpdatedAt(Instant.now().toString());
        return s;
    }
}
