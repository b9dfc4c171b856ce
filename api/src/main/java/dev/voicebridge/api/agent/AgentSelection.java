package dev.voicebridge.api.agent;

import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one rule by which signaling, the operator and the media worker find a call's VoiceAgent,
 * so all three agree whatever order their caches or lists hold the agents in:
 *
 * <ol>
 *   <li>a call that names an agent ({@code spec.agentRef}) has exactly that one, or none when it
 *       does not exist (never another agent in its place);
 *   <li>otherwise, of the agents whose {@code phoneNumberIds} contain the call's phone-number id,
 *       the one whose name sorts first (String order), so every replica picks the same one when
 *       agents overlap.
 * </ol>
 *
 * Pure: callers pass the agents of the call's namespace from wherever they hold them.
 */
public final class AgentSelection {
    private AgentSelection() {}

    /** The call's agent by the rule above. */
    public static Optional<VoiceAgent> forCall(VoiceCallSpec spec, Collection<VoiceAgent> agents) {
        String ref = spec.getAgentRef();
        if (ref != null && !ref.isBlank()) {
            return agents.stream()
                    .filter(a -> ref.equals(a.getMetadata().getName()))
                    .findFirst();
        }
        return forPhoneNumberId(spec.getPhoneNumberId(), agents);
    }

    /** The agent that answers a phone-number id: the first by name of those claiming it. */
    public static Optional<VoiceAgent> forPhoneNumberId(String phoneNumberId, Collection<VoiceAgent> agents) {
        return claiming(phoneNumberId, agents).stream().findFirst();
    }

    /** Every agent claiming the phone-number id, sorted by name (more than one is a conflict to report). */
    public static List<VoiceAgent> claiming(String phoneNumberId, Collection<VoiceAgent> agents) {
        if (phoneNumberId == null) {
            return List.of();
        }
        return agents.stream()
                .filter(a -> a.getSpec() != null
                        && a.getSpec().getPhoneNumberIds() != null
                        && a.getSpec().getPhoneNumberIds().contains(phoneNumberId))
                .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
                .toList();
    }
}
