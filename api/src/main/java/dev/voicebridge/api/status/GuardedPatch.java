package dev.voicebridge.api.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way every service writes a VoiceCall field it decided on from a copy that may be stale:
 * a JSON merge patch (RFC 7386) carrying the resourceVersion of that copy, so the API server
 * refuses it (409) if anyone wrote in between; on 409 re-read and decide again. A decision that
 * finds nothing left to do writes nothing.
 */
public final class GuardedPatch {
    /** Enough for the few writers a call has; more means something writes in a loop. */
    public static final int MAX_ATTEMPTS = 8;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which part of the resource the patch goes to. */
    public enum Target {
        /** metadata and spec */
        RESOURCE,
        /** the status subresource */
        STATUS
    }

    /** What {@link #decideAndWrite} ended with. */
    public sealed interface Outcome {
        /** The patch was written; {@code call} is the resource afterwards. */
        record Written(VoiceCall call) implements Outcome {}

        /** The decision on {@code call}, the latest copy read, was to write nothing. */
        record Declined(VoiceCall call) implements Outcome {}

        /** The call no longer exists. */
        record Gone() implements Outcome {}
    }

    private final KubernetesClient client;

    public GuardedPatch(KubernetesClient client) {
        this.client = client;
    }

    /** A fresh, empty patch document. */
    public static ObjectNode document() {
        return JSON.createObjectNode();
    }

    /**
     * Decides on {@code known} (empty: nothing to write) and writes the patch guarded by its
     * resourceVersion; on 409 re-reads and decides again, up to {@link #MAX_ATTEMPTS} times, then
     * throws the last 409.
     *
     * @param decide the patch document for the given copy, without {@code metadata.resourceVersion}
     */
    public Outcome decideAndWrite(VoiceCall known, Target target, Function<VoiceCall, Optional<ObjectNode>> decide) {
        VoiceCall current = known;
        for (int attempt = 1; current != null; attempt++) {
            Optional<ObjectNode> patch = decide.apply(current);
            if (patch.isEmpty()) {
                return new Outcome.Declined(current);
            }
            try {
                return new Outcome.Written(write(current, target, patch.get()));
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return new Outcome.Gone();
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                current = resource(current).get();
            }
        }
        return new Outcome.Gone();
    }

    /**
     * One guarded write of {@code patch} decided on {@code current}; a 409 is the caller's to
     * handle (the operator's reconcile loop re-reads and runs its whole decision again).
     */
    public VoiceCall write(VoiceCall current, Target target, ObjectNode patch) {
        ObjectNode doc = patch.deepCopy();
        ObjectNode metadata = doc.has("metadata") ? (ObjectNode) doc.get("metadata") : doc.putObject("metadata");
        metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
        return unguarded(current, target, doc);
    }

    /** A merge patch without a resourceVersion, for fields only one writer ever sets. */
    public VoiceCall unguarded(VoiceCall call, Target target, ObjectNode patch) {
        var context = PatchContext.of(PatchType.JSON_MERGE);
        String body = patch.toString();
        var resource = writable(
                client, call.getMetadata().getNamespace(), call.getMetadata().getName());
        return target == Target.STATUS
                ? resource.subresource("status").patch(context, body)
                : resource.patch(context, body);
    }

    /**
     * The VoiceCall to patch, addressed so that a patch is one request. Addressed by name alone
     * ({@code withName}), Fabric8 reads the resource first (a GET) only to learn its name and
     * namespace; a stub carrying them spares that round trip on every write.
     */
    public static Resource<VoiceCall> writable(KubernetesClient client, String namespace, String name) {
        var stub = new VoiceCall();
        stub.getMetadata().setName(name);
        stub.getMetadata().setNamespace(namespace);
        return client.resources(VoiceCall.class).inNamespace(namespace).resource(stub);
    }

    private Resource<VoiceCall> resource(VoiceCall call) {
        return client.resources(VoiceCall.class)
                .inNamespace(call.getMetadata().getNamespace())
                .withName(call.getMetadata().getName());
    }
}
