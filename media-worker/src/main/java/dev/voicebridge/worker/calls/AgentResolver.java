package dev.voicebridge.worker.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.agent.SecretCheck;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the agent of a call (by {@code spec.agentRef}, else by phone-number id), checks it the way
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
        VoiceAgent agent = byName(ns, call.getSpec().getAgentRef())
                .or(() -> byNumber(ns, call.getSpec().getPhoneNumberId()))
                .orElseThrow(() -> new CallEngine.CallSetupException(
                        EndReason.InternalError,
                        "no VoiceAgent named '" + call.getSpec().getAgentRef() + "' or answering phone-number id '"
                                + call.getSpec().getPhoneNumberId() + "' in namespace " + ns));
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

    private Optional<VoiceAgent> byName(String ns, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.resources(VoiceAgent.class)
                .inNamespace(ns)
                .withName(name)
                .get());
    }

    private Optional<VoiceAgent> byNumber(String ns, String phoneNumberId) {
        if (phoneNumberId == null) {
            return Optional.empty();
        }
        return client.resources(VoiceAgent.class).inNamespace(ns).list().getItems().stream()
                .filter(a -> a.getSpec() != null && a.getSpec().getPhoneNumberIds() != null)
                .filter(a -> a.getSpec().getPhoneNumberIds().contains(phoneNumberId))
                .findFirst();
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
        String value = value(secret, ref);
        if (value == null) {
            // A configured key that cannot be read is an error, not a silent fall-back to the echo agent.
            throw new CallEngine.CallSetupException(
                    EndReason.AgentUnavailable,
                    "Secret " + ref.getName() + " has no key '" + ref.getKey() + "' for the OpenAI API key");
        }
        return Optional.of(value);
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
        return value(secret, ref);
    }

    /** The value of a Secret key, or null when the Secret or key is missing. */
    private static String value(Secret secret, SecretKeyRef ref) {
        String encoded = secret == null || secret.getData() == null
                ? null
                : secret.getData().get(ref.getKey());
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
    }
}
