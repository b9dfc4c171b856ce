package dev.voicebridge.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes-shaped conditions: the call's (Assigned, Answered, MediaConnected, Ended) and the
 * agent's (Ready). A merge patch replaces the whole list, which is fine: the operator is its only
 * writer.
 */
public final class Conditions {
    static final String ASSIGNED = "Assigned";
    static final String ANSWERED = "Answered";
    static final String MEDIA_CONNECTED = "MediaConnected";
    static final String ENDED = "Ended";
    static final String REASON_REPLACED = "Replaced";

    private Conditions() {}

    /**
     * The list with one condition set; lastTransitionTime moves only when the status changes, so
     * a repeated reconcile rewrites an identical list.
     */
    public static List<Condition> with(
            List<Condition> current,
            String type,
            boolean status,
            String reason,
            String message,
            Long generation,
            Instant now) {
        List<Condition> result = new ArrayList<>();
        Condition previous = null;
        if (current != null) {
            for (Condition c : current) {
                if (type.equals(c.getType())) {
                    previous = c;
                } else {
                    result.add(c);
                }
            }
        }
        String statusText = status ? "True" : "False";
        String transition =
                previous != null && statusText.equals(previous.getStatus()) && !Objects.equals(reason, REASON_REPLACED)
                        ? previous.getLastTransitionTime()
                        : now.toString();
        result.add(new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build());
        return result;
    }
}
