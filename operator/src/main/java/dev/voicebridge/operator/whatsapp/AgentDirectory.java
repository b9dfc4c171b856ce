package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds a call's VoiceAgent (by {@code spec.agentRef}, else by phone-number id) and the WhatsApp
 * access token its Secret holds. The token is read when needed, held only for the request, and
 * never logged or copied into a resource.
 */
public final class AgentDirectory {
    private final KubernetesClient client;

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
                    var secret = client.secrets()
                            .inNamespace(call.getMetadata().getNamespace())
                            .withName(ref.getName())
                            .get();
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
