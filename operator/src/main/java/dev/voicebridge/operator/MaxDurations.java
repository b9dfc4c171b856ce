package dev.voicebridge.operator;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import java.time.Duration;

/** A call's max connected duration: its spec, else its agent's limit, else the operator default. */
final class MaxDurations {
    private MaxDurations() {}

    static Duration of(VoiceCall call, AgentDirectory agents, Duration fallback) {
        Integer own = call.getSpec().getMaxDurationSeconds();
        if (own != null) {
            return Duration.ofSeconds(own);
        }
        return agents.agentFor(call)
                .map(agent -> agent.getSpec() == null ? null : agent.getSpec().getMaxCallDurationSeconds())
                .map(Duration::ofSeconds)
                .orElse(fallback);
    }
}
