package dev.voicebridge.operator.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;

/**
 * The one way to write {@code status.end}: first writer wins. The write is a merge patch guarded by
 * the resourceVersion the "no end yet" was read at; on a conflict it re-reads, and if someone else
 * ended the call meanwhile, their end stands. Any component (operator, media worker, signaling)
 * can use it with its own client.
 */
public final class CallEnder {
    private static final int MAX_CONFLICTS = 8;
    private static final int MAX_MESSAGE = 1024;

    private final CallPatcher patcher;
    private final Clock clock;

    public CallEnder(CallPatcher patcher, Clock clock) {
        this.patcher = patcher;
        this.clock = clock;
    }

    /**
     * Ends the call unless it has already ended; returns the resource as it is afterwards (its
     * {@code status.end} is whoever won), or {@code null} if the resource is gone.
     */
    public VoiceCall end(VoiceCall call, EndReason reason, String message, String by) {
        VoiceCall current = call;
        for (int attempt = 0; attempt < MAX_CONFLICTS && current != null; attempt++) {
            if (current.getStatus() != null && current.getStatus().getEnd() != null) {
                return current;
            }
            ObjectNode status = patcher.statusPatch();
            ObjectNode end = status.putObject("end");
            end.put("reason", reason.name());
            if (message != null) {
                end.put("message", message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
            }
            end.put("by", by);
            end.put("at", Instant.now(clock).toString());
            try {
                return patcher.patchStatus(current, status, true);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                current = patcher.get(current);
            }
        }
        throw new IllegalStateException("could not record the end of "
                + call.getMetadata().getName() + " after " + MAX_CONFLICTS + " conflicting writes");
    }
}
