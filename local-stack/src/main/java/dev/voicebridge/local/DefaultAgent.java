package dev.voicebridge.local;

import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.IdlePolicy;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local stack's namespace and default agent. */
public final class DefaultAgent {
    private DefaultAgent() {}

    /**
     * Installs the namespace and the default agent: it answers {@code phoneNumberId}, greets the
     * caller, hangs up after a minute of silence, and uses {@code api} (realtime or live, on the
     * API's default model) when a key is given, else the embedded agent.
     */
    public static VoiceAgent seed(
            KubernetesClient client, String namespace, String phoneNumberId, Optional<String> openAiKey, String api) {
        return seed(client, namespace, phoneNumberId, openAiKey, api, Optional.empty());
    }

    /**
     * The default agent; with a WhatsApp access token, Secret {@code whatsapp} (key {@code
     * access-token}) holds it and the agent references it, so webhook calls can be accepted.
     */
    public static VoiceAgent seed(
            KubernetesClient client,
            String namespace,
            String phoneNumberId,
            Optional<String> openAiKey,
            String api,
            Optional<String> whatsappToken) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        var spec = new VoiceAgentSpec();
        spec.setPhoneNumberIds(List.of(phoneNumberId));
        spec.setApi(api);
        spec.setVoice("marin");
        spec.setInstructions("You are voicebridge's demo agent. Be brief, friendly and helpful.");
        var greeting = new Greeting();
        greeting.setInstructions("Greet the caller in one short sentence and ask how you can help.");
        greeting.setLeadInMillis(400);
        spec.setGreeting(greeting);
        // GPT-Live bills silence: a forgotten call hangs up by itself
        var idle = new IdlePolicy();
        idle.setTimeoutSeconds(60);
        idle.setGoodbye("Say that you will hang up now because the line is quiet, and say goodbye.");
        spec.setIdle(idle);
        openAiKey.ifPresent(key -> spec.setOpenaiApiKeySecret(secret(client, namespace, "openai", "api-key", key)));
        whatsappToken.ifPresent(token ->
                spec.setWhatsappAccessTokenSecret(secret(client, namespace, "whatsapp", "access-token", token)));
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName("default");
        agent.getMetadata().setNamespace(namespace);
        return client.resource(agent).create();
    }

    /** A Secret with one key (in {@code data}, as an API server returns it), and a reference to it. */
    private static SecretKeyRef secret(
            KubernetesClient client, String namespace, String name, String key, String value) {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withData(
                                Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        var ref = new SecretKeyRef();
        ref.setName(name);
        ref.setKey(key);
        return ref;
    }
}
