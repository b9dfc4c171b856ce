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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the agent of a call ({@link AgentSelection}), checks it the way
 * the operator does (an invalid agent ends the call with AgentInvalid and the agent's Ready
 * message, before anything is answered), and reads its OpenAI key from the referenced Secret at
 * call start, so a rotated key applies to the next call. The key is never stored in the resource
 * or logged. Tool tokens come only from Secrets labelled for tool use ({@link #readToolSecret}).
 *
 * <p>Agents and Secrets come from the {@link AgentCache} when it holds them, so a call's setup
 * makes no API request; what it does not hold is read from the API server.
 */
final class AgentResolver {
    private final KubernetesClient client;
    private final AgentCache cache;

    /** Without a cache: every call reads its agent and Secret from the API server. */
    AgentResolver(KubernetesClient client) {
        this(client, null);
    }

    AgentResolver(KubernetesClient client, AgentCache cache) {
        this.client = client;
        this.cache = cache;
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
        VoiceAgent agent = cached(call, byName, named)
                .or(() -> AgentSelection.forCall(
                        call.getSpec(),
                        byName
                                ? Stream.ofNullable(agents.withName(named).get())
                                        .toList()
                                : agents.list().getItems()))
                .orElseThrow(() -> new CallEngine.CallSetupException(
                        EndReason.InternalError,
                        (byName
                                        ? "no VoiceAgent named '" + named + "'"
                                        : "no VoiceAgent answering phone-number id '"
                                                + call.getSpec().getPhoneNumberId() + "'")
                                + " in namespace " + ns));
        VoiceAgentSpec spec = agent.getSpec() == null ? new VoiceAgentSpec() : agent.getSpec();
        // One read of the key's Secret serves both the check and the value.
        Map<String, Optional<Secret>> read = new HashMap<>();
        var check = AgentValidation.validate(
                spec, call.getSpec().getOverrides(), (ref, use) -> secretProblem(ns, ref, use, read));
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
                secretValue(ns, spec.getOpenaiApiKeySecret(), read),
                seconds == null ? null : Duration.ofSeconds(seconds));
    }

    /**
     * The worker checks only the Secret it cannot answer without, the OpenAI key: it may not read
     * the WhatsApp token (the operator's), and a tool whose token it may not send answers the model
     * with an error instead (the operator reports both on the agent's status).
     */
    private String secretProblem(String ns, SecretKeyRef ref, SecretCheck.Use use, Map<String, Optional<Secret>> read) {
        if (use != SecretCheck.Use.OPENAI_KEY) {
            return null;
        }
        try {
            return SecretCheck.problemOf(secret(ns, ref.getName(), read), ref, use);
        } catch (KubernetesClientException e) {
            return SecretCheck.unreadable(ref, e.getCode()); // 403: the chart grants the worker Secrets by name
        }
    }

    private Optional<String> secretValue(String ns, SecretKeyRef ref, Map<String, Optional<Secret>> read)
            throws CallEngine.CallSetupException {
        if (ref == null) {
            return Optional.empty();
        }
        Secret secret;
        try {
            secret = secret(ns, ref.getName(), read);
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
            secret = secret(ns, ref.getName(), new HashMap<>());
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

    /** The cache's pick, when it holds the agent; empty sends the caller to the API server. */
    private Optional<VoiceAgent> cached(VoiceCall call, boolean byName, String named) {
        if (cache == null) {
            return Optional.empty();
        }
        return byName ? cache.agent(named) : cache.agents().flatMap(all -> AgentSelection.forCall(call.getSpec(), all));
    }

    /** The Secret (null if absent), from the cache or else the API server, read once per call. */
    private Secret secret(String ns, String name, Map<String, Optional<Secret>> read) {
        Optional<Secret> known = read.get(name);
        if (known == null) {
            known = cache == null ? Optional.empty() : cache.secret(name);
            if (known.isEmpty()) {
                known = Optional.ofNullable(
                        client.secrets().inNamespace(ns).withName(name).get());
            }
            read.put(name, known);
        }
        return known.orElse(null);
    }
}
