package dev.voicebridge.worker.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.agent.AgentSelection;
import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.agent.SecretCheck;
import dev.voicebridge.api.agent.SecretValues;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the agent of a call ({@link AgentSelection}), checks it the way
 * the operator does (an invalid agent ends the call with AgentInvalid and the agent's Ready
 * message, before anything is answered), and reads its OpenAI key from the referenced Secret at
 * call start, so a rotated key applies to the next call. The key is never stored in the resource
 * or logged. Tool tokens come only from Secrets labelled for tool use ({@link #readToolSecret}).
 */
final class AgentResolver {
    private final KubernetesClient client;

    AgentResolver(KubernetesClient client) {
        this.client = client;
    }

    /** @param maxDuration the call's own limit, else its agent's; null for none */
    record ResolvedAgent(VoiceAgentSpec spec, Optional<String> openAiApiKey, Duration maxDuration) {
        @Override
        public String toString() {
            return "ResolvedAgent[api=" + spec.getApi() + ", model=" + spec.getModel() + ", key="
                    + (openAiApiKey.isPresent() ? "set" : "none") + "]";
        }
    }

    ResolvedAgent resolve(VoiceCall call) throws CallEngine.CallSetupException {
        String ns = call.getMetadata().getNamespace();
        var agents = client.resources(VoiceAgent.class).inNamespace(ns);
        String named = call.getSpec().getAgentRef();
        boolean byName = named != null && !named.isBlank();
        // A named agent is read alone (the rule never takes another in its place); else all are listed.
        List<VoiceAgent> candidates = byName
                ? Stream.ofNullable(agents.withName(named).get()).toList()
                : agents.list().getItems();
        VoiceAgent agent = AgentSelection.forCall(call.getSpec(), candidates)
                .orElseThrow(() -> new CallEngine.CallSetupException(
                        EndReason.InternalError,
                        (byName
                                        ? "no VoiceAgent named '" + named + "'"
                                        : "no VoiceAgent answering phone-number id '"
                                                + call.getSpec().getPhoneNumberId() + "'")
                                + " in namespace " + ns));
        VoiceAgentSpec spec = agent.getSpec() == null ? new VoiceAgentSpec() : agent.getSpec();
        var check = AgentValidation.validate(
                spec, call.getSpec().getOverrides(), (ref, use) -> secretProblem(ns, ref, use));
        if (!check.valid()) {
            throw new CallEngine.CallSetupException(
                    EndReason.AgentInvalid,
                    "VoiceAgent " + agent.getMetadata().getName() + " is invalid (" + check.reason() + "): "
                            + check.message());
        }
        Integer seconds = call.getSpec().getMaxDurationSeconds() != null
                ? call.getSpec().getMaxDurationSeconds()
                : spec.getMaxCallDurationSeconds();
        return new ResolvedAgent(
                spec,
                secretValue(ns, spec.getOpenaiApiKeySecret()),
                seconds == null ? null : Duration.ofSeconds(seconds));
    }

    /**
     * The worker checks only the Secret it cannot answer without, the OpenAI key: it may not read
     * the WhatsApp token (the operator's), and a tool whose token it may not send answers the model
     * with an error instead (the operator reports both on the agent's status).
     */
    private String secretProblem(String ns, SecretKeyRef ref, SecretCheck.Use use) {
        if (use != SecretCheck.Use.OPENAI_KEY) {
            return null;
        }
        try {
            return SecretCheck.problemOf(
                    client.secrets().inNamespace(ns).withName(ref.getName()).get(), ref, use);
        } catch (KubernetesClientException e) {
            return SecretCheck.unreadable(ref, e.getCode()); // 403: the chart grants the worker Secrets by name
        }
    }

    private Optional<String> secretValue(String ns, SecretKeyRef ref) throws CallEngine.CallSetupException {
        if (ref == null) {
            return Optional.empty();
        }
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        } catch (KubernetesClientException e) {
            // 403: the chart grants the worker only the Secrets listed in its values, by name.
            throw new CallEngine.CallSetupException(
                    EndReason.AgentUnavailable,
                    "Secret " + ref.getName() + " for the OpenAI API key cannot be read (HTTP " + e.getCode()
                            + "); the media worker may read only the Secrets granted to it");
        }
        Optional<String> value = SecretValues.value(secret, ref);
        if (value.isEmpty()) {
            // A configured key that cannot be read is an error, not a silent fall-back to the echo agent.
            throw new CallEngine.CallSetupException(
                    EndReason.AgentUnavailable,
                    "Secret " + ref.getName() + " has no key '" + ref.getKey() + "' for the OpenAI API key");
        }
        return value;
    }

    /**
     * The bearer token of an HTTP tool: the key's value, only from a Secret labelled
     * {@code voicebridge.dev/tool-secret=true}; null when the Secret is missing, unreadable,
     * unlabelled or lacks the key. The label keeps a VoiceAgent edit from sending the worker's other
     * Secrets (the OpenAI key) to a tool URL.
     */
    String readToolSecret(String ns, SecretKeyRef ref) {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        } catch (KubernetesClientException e) {
            return null;
        }
        if (secret == null
                || secret.getMetadata().getLabels() == null
                || !"true".equals(secret.getMetadata().getLabels().get(Labels.TOOL_SECRET))) {
            return null;
        }
        return SecretValues.value(secret, ref).orElse(null);
    }
}
