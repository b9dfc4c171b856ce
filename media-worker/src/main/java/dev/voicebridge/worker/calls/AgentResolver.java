package dev.voicebridge.worker.calls;

import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the agent of a call (by {@code spec.agentRef}, else by phone-number id), checks it the way
 * the operator does (an invalid agent ends the call with AgentInvalid and the agent's Ready
 * message, before anything is answered), and reads its OpenAI key from the referenced Secret at
 * call start, so a rotated key applies to the next call. The key is never stored in the resource
 * or logged.
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
        var check = AgentValidation.validate(spec, call.getSpec().getOverrides(), ref -> readSecret(ns, ref) != null);
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
        String value = readSecret(ns, ref);
        if (value == null) {
            // A configured key that cannot be read is an error, not a silent fall-back to the echo agent.
            throw new CallEngine.CallSetupException(
                    EndReason.AgentUnavailable,
                    "Secret " + ref.getName() + " has no key '" + ref.getKey() + "' for the OpenAI API key");
        }
        return Optional.of(value);
    }

    /** The value of a Secret key in the namespace, or null when the Secret or key is missing. */
    String readSecret(String ns, SecretKeyRef ref) {
        var secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        if (secret == null) {
            return null;
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
        if (encoded != null) {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
        }
        // an API server turns stringData into data; a resource written without one keeps it as is
        String plain =
                secret.getStringData() == null ? null : secret.getStringData().get(ref.getKey());
        return plain == null ? null : plain.trim();
    }
}
