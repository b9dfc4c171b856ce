package dev.voicebridge.operator.agents;

import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.v1alpha1.VoiceAgentStatus;
import dev.voicebridge.operator.lifecycle.Conditions;
import java.time.Instant;
import java.util.Objects;

/**
 * The status the operator wants a VoiceAgent to show, from its validation: a {@code Ready}
 * condition (True with reason Valid, or False with the first problem's reason and every problem's
 * message), the generation validated, and the API and model calls will use. Pure: no client.
 */
public final class AgentReadiness {
    public static final String READY = "Ready";

    private AgentReadiness() {}

    /** The status to write; the condition's transition time moves only when its status changes. */
    public static VoiceAgentStatus desired(
            VoiceAgentStatus current, AgentValidation.Result result, Long generation, Instant now) {
        var s = new VoiceAgentStatus();
        s.setConditions(Conditions.with(
                current == null ? null : current.getConditions(),
                READY,
                result.valid(),
                result.reason(),
                result.message(),
                generation,
                now));
        s.setObservedGeneration(generation);
        s.setApi(result.api() == null ? null : result.api().name());
        s.setModel(result.api() == null ? null : result.model());
        return s;
    }

    /** Whether writing {@code desired} would change what {@code current} says. */
    public static boolean same(VoiceAgentStatus current, VoiceAgentStatus desired) {
        if (current == null) {
            return false;
        }
        return Objects.equals(current.getConditions(), desired.getConditions())
                && Objects.equals(current.getObservedGeneration(), desired.getObservedGeneration())
                && Objects.equals(current.getApi(), desired.getApi())
                && Objects.equals(current.getModel(), desired.getModel());
    }
}
