package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a call's VoiceAgent (by {@code spec.agentRef}, else by phone-number id) and the WhatsApp
 * access token its Secret holds. The token is read when needed, held only for the request, and
 * never logged or copied into a resource.
 */
public final class AgentDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);

    private final KubernetesClient client;
    /** Secrets already reported unreadable: one warning per name, not one per reconcile. */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    public AgentDirectory(KubernetesClient client) {
        this.client = client;
    }

    public Optional<VoiceAgent> agentFor(VoiceCall call) {
        String namespace = call.getMetadata().getNamespace();
        var agents = client.resources(VoiceAgent.class).inNamespace(namespace);
        String ref = call.getSpec().getAgentRef();
        if (ref != null && !ref.isBlank()) {
            return Optional.ofNullable(agents.withName(ref).get());
        }
        String phone = call.getSpec().getPhoneNumberId();
        if (phone == null) {
            return Optional.empty();
        }
        return agents.list().getItems().stream()
                .filter(a -> a.getSpec() != null
                        && a.getSpec().getPhoneNumberIds() != null
                        && a.getSpec().getPhoneNumberIds().contains(phone))
                .findFirst();
    }

    /** The access token, or empty with no agent, no secret reference, or no such Secret/key. */
    public Optional<String> accessToken(VoiceCall call) {
        return agentFor(call)
                .map(VoiceAgent::getSpec)
                .map(spec -> spec.getWhatsappAccessTokenSecret())
                .flatMap(ref -> {
                    Secret secret;
                    try {
                        secret = client.secrets()
                                .inNamespace(call.getMetadata().getNamespace())
                                .withName(ref.getName())
                                .get();
                    } catch (KubernetesClientException e) {
                        // 403: the chart grants the operator only the Secrets listed in its values.
                        if (unreadable.add(ref.getName())) {
                            LOG.warn(LogLine.of(
                                    "secret.unreadable",
                                    "secret",
                                    ref.getName(),
                                    "field",
                                    "whatsappAccessTokenSecret",
                                    "httpStatus",
                                    e.getCode(),
                                    "action",
                                    "grant it to the operator"));
                        }
                        return Optional.empty();
                    }
                    if (secret == null) {
                        return Optional.empty();
                    }
                    if (secret.getData() != null && secret.getData().containsKey(ref.getKey())) {
                        return Optional.of(new String(
                                        Base64.getDecoder()
                                                .decode(secret.getData().get(ref.getKey())),
                                        StandardCharsets.UTF_8)
                                .trim());
                    }
                    if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
                        return Optional.of(
                                secret.getStringData().get(ref.getKey()).trim());
                    }
                    return Optional.empty();
                });
    }
}
