package dev.voicebridge.operator.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.status.GuardedPatch;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;

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
    private final OwnWrites ownWrites = new OwnWrites();

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
        return wrote(
                locked
                        ? patches.write(call, GuardedPatch.Target.STATUS, doc)
                        : patches.unguarded(call, GuardedPatch.Target.STATUS, doc));
    }

    /** Sets labels; a {@code null} value removes the label (RFC 7386: null deletes the member). */
    public VoiceCall patchLabels(VoiceCall call, java.util.Map<String, String> labels) {
        ObjectNode doc = json.createObjectNode();
        ObjectNode node = doc.putObject("metadata").putObject("labels");
        labels.forEach((key, value) -> {
            if (value == null) {
                node.putNull(key);
            } else {
                node.put(key, value);
            }
        });
        return labels.isEmpty() ? call : wrote(patches.unguarded(call, GuardedPatch.Target.RESOURCE, doc));
    }

    /**
     * Records a write of ours made elsewhere (the end, through {@code CallEnds}): until the
     * informer shows it, {@link #current} reads the call. Returns {@code written}.
     */
    public VoiceCall wrote(VoiceCall written) {
        ownWrites.wrote(written);
        return written;
    }

    /**
     * The call a reconcile decides on: the informer's copy, read from the API server only when the
     * copy may not show our own last write yet ({@link OwnWrites}).
     */
    public VoiceCall current(VoiceCall cached) {
        return ownWrites.current(cached, this::get);
    }

    /** Reads {@link #current} had to make because the informer lagged behind our write. */
    public long laggingReads() {
        return ownWrites.reads();
    }

    /**
     * Loads a placement's requests before the first call needs them: a VoiceCall parsed as the
     * informer's events deliver it, then the read, the status patch and the label patch, each of a
     * VoiceCall no call has (theirs are {@code wa-…}), so each is a 404. Best effort.
     */
    public void warmUp(String namespace) {
        var absent = new VoiceCall();
        absent.getMetadata().setName("voicebridge-warm-up");
        absent.getMetadata().setNamespace(namespace);
        ObjectNode status = json.createObjectNode();
        status.putObject("status").put("phase", "Assigned");
        var serialization = client.getKubernetesSerialization();
        List<Runnable> requests = List.of(
                () -> serialization.unmarshal(serialization.asJson(absent), VoiceCall.class),
                () -> get(absent),
                () -> patches.write(absent, GuardedPatch.Target.STATUS, status),
                () -> patchLabels(absent, Map.of(Labels.WORKER, "voicebridge-warm-up")));
        for (Runnable request : requests) {
            try {
                request.run();
            } catch (KubernetesClientException expected) {
                // 404: nothing was written, which is the point.
            } catch (RuntimeException e) {
                return; // best effort: the first call pays for what is left
            }
        }
    }

    public VoiceCall get(VoiceCall call) {
        return resource(call).get();
    }

    public boolean delete(VoiceCall call) {
        ownWrites.forget(call);
        return !resource(call).delete().isEmpty();
    }

    private io.fabric8.kubernetes.client.dsl.Resource<VoiceCall> resource(VoiceCall call) {
        return client.resources(VoiceCall.class)
                .inNamespace(call.getMetadata().getNamespace())
                .withName(call.getMetadata().getName());
    }
}
