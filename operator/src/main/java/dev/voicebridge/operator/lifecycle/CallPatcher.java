package dev.voicebridge.operator.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.status.GuardedPatch;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * JSON merge patches (RFC 7386) of only the operator's own fields. A "locked" patch is a
 * {@link GuardedPatch} write: it carries the resourceVersion it was decided on, so the API server
 * refuses it (409) if anyone wrote in between, and the reconcile loop re-reads and decides again.
 * Write-ahead records use it, so two operators (a deposed leader still finishing a reconcile)
 * cannot both record a request and then both act on it.
 */
public final class CallPatcher {
    private final KubernetesClient client;
    private final GuardedPatch patches;
    private final ObjectMapper json = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    public CallPatcher(KubernetesClient client) {
        this.client = client;
        this.patches = new GuardedPatch(client);
    }

    public ObjectMapper json() {
        return json;
    }

    /** A fresh patch document for a status change. */
    public ObjectNode statusPatch() {
        return json.createObjectNode();
    }

    /** Patches status.{fields in statusPatch}; returns the updated resource. */
    public VoiceCall patchStatus(VoiceCall call, ObjectNode statusPatch, boolean locked) {
        ObjectNode doc = json.createObjectNode();
        doc.set("status", statusPatch);
        return locked
                ? patches.write(call, GuardedPatch.Target.STATUS, doc)
                : patches.unguarded(call, GuardedPatch.Target.STATUS, doc);
    }

    /**
     * Sets labels; a {@code null} value removes the label. Removal is a JSON patch (RFC 6902)
     * {@code remove} op rather than a merge-patch null, which the Fabric8 CRUD mock would store
     * as a null value instead of deleting the key.
     */
    public VoiceCall patchLabels(VoiceCall call, java.util.Map<String, String> labels) {
        var current = call.getMetadata().getLabels() == null
                ? java.util.Map.<String, String>of()
                : call.getMetadata().getLabels();
        var ops = json.createArrayNode();
        if (call.getMetadata().getLabels() == null) {
            ops.addObject().put("op", "add").put("path", "/metadata/labels").putObject("value");
        }
        labels.forEach((key, value) -> {
            String path = "/metadata/labels/" + key.replace("~", "~0").replace("/", "~1");
            if (value == null) {
                if (current.containsKey(key)) {
                    ops.addObject().put("op", "remove").put("path", path);
                }
            } else {
                ops.addObject().put("op", "add").put("path", path).put("value", value);
            }
        });
        if (ops.isEmpty()) {
            return call;
        }
        return resource(call).patch(PatchContext.of(PatchType.JSON), ops.toString());
    }

    public VoiceCall get(VoiceCall call) {
        return resource(call).get();
    }

    public boolean delete(VoiceCall call) {
        return !resource(call).delete().isEmpty();
    }

    private io.fabric8.kubernetes.client.dsl.Resource<VoiceCall> resource(VoiceCall call) {
        return client.resources(VoiceCall.class)
                .inNamespace(call.getMetadata().getNamespace())
                .withName(call.getMetadata().getName());
    }
}
