package dev.voicebridge.api.status;

import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The one way to write {@code status.end}: whoever ends a call first decides why it ended, and
 * later writers (the operator noticing a lost worker after the caller already hung up, say) keep
 * that decision. Implemented as an optimistic, resourceVersion-guarded JSON merge patch of the
 * status subresource, retried on conflict after re-reading.
 */
public final class CallEnds {
    private static final int MAX_ATTEMPTS = 8;

    private final KubernetesClient client;
    private final String by;
    private final Clock clock;

    /**
     * @param by the component recorded as ending calls, e.g. {@code operator} or
     *     {@code media-worker/<pod>}
     */
    public CallEnds(KubernetesClient client, String by, Clock clock) {
        this.client = client;
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
        for (int attempt = 1; current != null; attempt++) {
            if (current.getStatus() != null && current.getStatus().getEnd() != null) {
                return current;
            }
            var resource = client.resources(VoiceCall.class)
                    .inNamespace(current.getMetadata().getNamespace())
                    .withName(current.getMetadata().getName());
            VoiceCall patch = new VoiceCall();
            patch.setMetadata(new ObjectMetaBuilder()
                    .withResourceVersion(current.getMetadata().getResourceVersion())
                    .build());
            patch.statusOrNew().setEnd(newEnd(reason, message));
            try {
                return resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return null;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                current = resource.get();
            }
        }
        return null;
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
