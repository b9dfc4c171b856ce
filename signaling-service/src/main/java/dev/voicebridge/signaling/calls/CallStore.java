package dev.voicebridge.signaling.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.GuardedPatch;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Writes of signaling-service to VoiceCalls: create (idempotent by name), the hang-up request and
 * annotations, each as a JSON merge patch of only those fields, so it never overwrites what the
 * operator or the worker wrote. Kubernetes failures become a 503 problem: a webhook is then
 * answered with an error and WhatsApp redelivers it, rather than being acknowledged and lost.
 */
public final class CallStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(CallStore.class.getName());
    private static final String WARM_UP_NAME = "voicebridge-warm-up";
    private final KubernetesClient client;
    private final MixedOperation<VoiceCall, KubernetesResourceList<VoiceCall>, Resource<VoiceCall>> calls;
    private final String namespace;
    private final GuardedPatch patches;

    public CallStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.patches = new GuardedPatch(client);
        this.calls = client.resources(VoiceCall.class);
    }

    /** The result of a create: ours, or the one that already had the name. */
    public sealed interface Created {
        VoiceCall call();
    }

    public record New(VoiceCall call) implements Created {}

    public record Existing(VoiceCall call) implements Created {}

    public Created create(VoiceCall call) {
        call.getMetadata().setNamespace(namespace);
        try {
            return new New(calls.inNamespace(namespace).resource(call).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422) {
                // Schema validation refused the content: retrying would fail the same way.
                throw new ProblemException(
                        ProblemCode.INVALID_FIELD,
                        "Kubernetes rejected the call resource: "
                                + e.getStatus().getMessage());
            }
            if (e.getCode() != 409) {
                throw unavailable("create", e);
            }
        }
        return find(call.getMetadata().getName())
                .<Created>map(Existing::new)
                // Created and deleted between our create and get: the retry will recreate it.
                .orElseThrow(() -> new ProblemException(
                        ProblemCode.KUBERNETES_UNAVAILABLE, "call resource vanished during create, retry"));
    }

    /**
     * Loads the create path before the first call needs it: a VoiceCall serialized as a create
     * sends it and parsed back as the informer's events deliver it, and a read of a name no call
     * has (theirs are {@code wa-…}), which opens a connection and parses the API server's answer.
     * Best effort: a failure is the first call's to report.
     */
    public void warmUp() {
        try {
            var call = new VoiceCall(new dev.voicebridge.api.v1alpha1.VoiceCallSpec());
            call.getMetadata().setName(WARM_UP_NAME);
            var serialization = client.getKubernetesSerialization();
            serialization.unmarshal(serialization.asJson(call), VoiceCall.class);
            calls.inNamespace(namespace).withName(WARM_UP_NAME).get();
        } catch (RuntimeException e) {
            LOG.fine(() -> LogLine.of("signaling.warm-up-failed", "error", e.getMessage()));
        }
    }

    public Optional<VoiceCall> find(String name) {
        try {
            return Optional.ofNullable(
                    calls.inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            throw unavailable("get", e);
        }
    }

    /**
     * Sets spec.hangup unless one is already there; returns whether this call set it. The patch
     * carries the resourceVersion of the copy we decided on, so a hang-up another writer set in
     * between (our copy may come from the informer and lag) is never overwritten: on 409 we re-read
     * and decide again. The CRD keeps a hang-up from being withdrawn afterwards.
     */
    public boolean requestHangupIfAbsent(VoiceCall known, HangupRequest hangup) {
        return guarded(known, "hang-up of", current -> {
            if (current.getSpec() != null && current.getSpec().getHangup() != null) {
                return Optional.empty();
            }
            ObjectNode patch = GuardedPatch.document();
            patch.putObject("spec").set("hangup", JSON.valueToTree(hangup));
            return Optional.of(patch);
        });
    }

    /**
     * Sets annotations if {@code wanted} still holds for the call, deciding on {@code known} first
     * and guarding the patch with its resourceVersion (the copy may come from the informer and
     * lag): on 409 it re-reads and decides again. Returns whether the annotations were written.
     */
    public boolean annotateIf(VoiceCall known, Predicate<VoiceCall> wanted, Map<String, String> annotations) {
        return guarded(known, "annotating", current -> {
            if (!wanted.test(current)) {
                return Optional.empty();
            }
            ObjectNode patch = GuardedPatch.document();
            var node = patch.putObject("metadata").putObject("annotations");
            annotations.forEach(node::put);
            return Optional.of(patch);
        });
    }

    private boolean guarded(VoiceCall known, String what, Function<VoiceCall, Optional<ObjectNode>> decide) {
        String name = known.getMetadata().getName();
        if (known.getMetadata().getNamespace() == null) {
            known.getMetadata().setNamespace(namespace); // this store writes only its namespace
        }
        try {
            return switch (patches.decideAndWrite(known, GuardedPatch.Target.RESOURCE, decide)) {
                case GuardedPatch.Outcome.Written written -> true;
                case GuardedPatch.Outcome.Declined declined -> false;
                case GuardedPatch.Outcome.Gone gone ->
                    throw new ProblemException(ProblemCode.CALL_NOT_FOUND, "no call resource " + name);
            };
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ProblemException(
                        ProblemCode.KUBERNETES_UNAVAILABLE, what + " " + name + " kept conflicting, retry", 1, null);
            }
            throw translate("patch", name, e);
        }
    }

    /** What became of recording WhatsApp's SDP answer on an outbound call. */
    public enum AnswerWrite {
        RECORDED,
        /** The same answer was there already (a redelivered webhook). */
        DUPLICATE,
        /** Another answer was there already; the first one stays (spec.sdpAnswer is written once). */
        CONFLICT
    }

    /**
     * Writes {@code spec.sdpAnswer} once, with {@code annotations}, as one merge patch guarded by
     * the resourceVersion decided on (the copy may come from the informer and lag): on 409 it
     * re-reads and decides again. The CRD refuses any later change of the answer.
     */
    public AnswerWrite recordAnswer(VoiceCall known, String sdp, Map<String, String> annotations) {
        String name = known.getMetadata().getName();
        VoiceCall current = known;
        for (int attempt = 0; attempt < 5; attempt++) {
            String existing =
                    current.getSpec() == null ? null : current.getSpec().getSdpAnswer();
            if (existing != null) {
                return existing.equals(sdp) ? AnswerWrite.DUPLICATE : AnswerWrite.CONFLICT;
            }
            ObjectNode patch = JSON.createObjectNode();
            var metadata = patch.putObject("metadata");
            metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
            if (!annotations.isEmpty()) {
                var node = metadata.putObject("annotations");
                annotations.forEach(node::put);
            }
            patch.putObject("spec").put("sdpAnswer", sdp);
            try {
                rawMergePatch(name, patch);
                return AnswerWrite.RECORDED;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 422) {
                    throw new ProblemException(
                            ProblemCode.INVALID_FIELD,
                            "Kubernetes refused the answer of " + name + ": "
                                    + e.getStatus().getMessage());
                }
                if (e.getCode() != 409) {
                    throw translate("patch", name, e);
                }
            }
            current = find(name)
                    .orElseThrow(() -> new ProblemException(ProblemCode.CALL_NOT_FOUND, "no call resource " + name));
        }
        throw new ProblemException(
                ProblemCode.KUBERNETES_UNAVAILABLE, "the answer of " + name + " kept conflicting, retry", 1, null);
    }

    public VoiceCall annotate(String name, Map<String, String> annotations) {
        ObjectNode patch = JSON.createObjectNode();
        var node = patch.putObject("metadata").putObject("annotations");
        annotations.forEach(node::put);
        return mergePatch(name, patch);
    }

    private VoiceCall mergePatch(String name, ObjectNode patch) {
        try {
            return rawMergePatch(name, patch);
        } catch (KubernetesClientException e) {
            throw translate("patch", name, e);
        }
    }

    private VoiceCall rawMergePatch(String name, ObjectNode patch) {
        try {
            return GuardedPatch.writable(client, namespace, name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static ProblemException translate(String verb, String name, KubernetesClientException e) {
        if (e.getCode() == 404) {
            return new ProblemException(ProblemCode.CALL_NOT_FOUND, "no call resource " + name);
        }
        return unavailable(verb, e);
    }

    private static ProblemException unavailable(String verb, KubernetesClientException e) {
        return new ProblemException(
                ProblemCode.KUBERNETES_UNAVAILABLE,
                "Kubernetes API " + verb + " failed with HTTP " + e.getCode(),
                1,
                e);
    }
}
