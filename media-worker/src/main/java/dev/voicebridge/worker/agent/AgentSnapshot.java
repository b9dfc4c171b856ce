package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.worker.realtime.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the agent of one call looks like now; the status writer maps it onto {@code status.agent}.
 *
 * @param state Connecting, Ready, Reconnecting or Closed
 * @param lastLatencyMillis caller speech stopped → first agent audio sent as RTP, last turn (-1: none yet)
 * @param callerFramesDropped caller frames dropped because the owner fell behind
 */
public record AgentSnapshot(
        String sessionId,
        String adapter,
        String model,
        String voice,
        String state,
        int responses,
        int interruptions,
        int reconnects,
        Usage usage,
        BigDecimal estimatedCostUsd,
        long lastLatencyMillis,
        long meanLatencyMillis,
        long callerFramesDropped,
        List<TranscriptLine> transcript) {

    public AgentStatus toStatus() {
        var s = new AgentStatus();
        s.setSessionId(sessionId);
        s.setModel(model);
        s.setVoice(voice);
        s.setState(state);
        s.setResponses(responses);
        s.setInterruptions(interruptions);
        s.setReconnects(reconnects);
        s.setInputTokens(usage.inputTokens());
        s.setOutputTokens(usage.outputTokens());
        s.setCachedInputTokens(usage.cachedTokens());
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
