package dev.voicebridge.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The one way to write {@code status.end}: whoever ends a call first decides why it ended, and
 * later writers (the operator noticing a lost worker after the caller already hung up, say) keep
 * that decision. Written as a {@link GuardedPatch} of the status subresource.
 */
public final class CallEnds {
    private static final ObjectMapper JSON =
            new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    private final KubernetesClient client;
    private final GuardedPatch patches;
    private final String by;
    private final Clock clock;

    /**
     * @param by the component recorded as ending calls, e.g. {@code operator} or
     *     {@code media-worker/<pod>}
     */
    public CallEnds(KubernetesClient client, String by, Clock clock) {
        this.client = client;
        this.patches = new GuardedPatch(client);
        this.by = by;
        this.clock = clock;
    }

    /**
     * Ends the call unless it already ended.
     *
     * @return the end in force afterwards (ours, or the earlier one), or empty when the call no
     *     longer exists
     */
    public Optional<CallEnd> end(String namespace, String name, EndReason reason, String message) {
        VoiceCall current = client.resources(VoiceCall.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
        return Optional.ofNullable(end(current, reason, message))
                .map(call -> call.getStatus().getEnd());
    }

    /**
     * Ends the call unless it already ended, starting from a copy the caller already read.
     *
     * @return the resource afterwards (its {@code status.end} is whoever won), or null when the
     *     call no longer exists
     */
    public VoiceCall end(VoiceCall current, EndReason reason, String message) {
        if (current == null) {
            return null;
        }
        var outcome = patches.decideAndWrite(current, GuardedPatch.Target.STATUS, call -> {
            if (call.getStatus() != null && call.getStatus().getEnd() != null) {
                return Optional.empty();
            }
            var patch = GuardedPatch.document();
            patch.putObject("status").set("end", JSON.valueToTree(newEnd(reason, message)));
            return Optional.of(patch);
        });
        return switch (outcome) {
            case GuardedPatch.Outcome.Written written -> written.call();
            case GuardedPatch.Outcome.Declined declined -> declined.call();
            case GuardedPatch.Outcome.Gone gone -> null;
        };
    }

    private CallEnd newEnd(EndReason reason, String message) {
        var end = new CallEnd();
        end.setReason(reason);
        end.setMessage(message == null || message.length() <= 1024 ? message : message.substring(0, 1024));
        end.setBy(by);
        end.setAt(Instant.now(clock).toString());
        return end;
    }
}
