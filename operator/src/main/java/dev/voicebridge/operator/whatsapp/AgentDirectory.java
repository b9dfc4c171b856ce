package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.agent.AgentSelection;
import dev.voicebridge.api.agent.SecretValues;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a call's VoiceAgent by the one rule of {@link AgentSelection}, from an informer cache of
 * VoiceAgents registered as a secondary event source of the VoiceCall reconciler (so a connected
 * call's decision steps cost no API call), and reads the WhatsApp access token its Secret holds.
 * The token is read when needed, held only for the request, and never logged or copied into a
 * resource. An agent change applies at each call's next reconcile; it does not trigger one.
 */
public final class AgentDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);

    private final KubernetesClient client;
    /** Secrets already reported unreadable: one warning per name, not one per reconcile. */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    private volatile InformerEventSource<VoiceAgent, VoiceCall> agents;

    public AgentDirectory(KubernetesClient client) {
        this.client = client;
    }

    /** The VoiceAgent informer, in the namespaces of the VoiceCall reconciler. */
    public EventSource<?, VoiceCall> prepare(EventSourceContext<VoiceCall> context) {
        var configuration = InformerEventSourceConfiguration.from(VoiceAgent.class, VoiceCall.class)
                .withName("voiceagents")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(agent -> Set.of())
                .build();
        this.agents = new InformerEventSource<>(configuration, context);
        return agents;
    }

    public Optional<VoiceAgent> agentFor(VoiceCall call) {
        var cache = agents;
        if (cache == null) {
            throw new IllegalStateException("the VoiceAgent informer is not prepared");
        }
        return AgentSelection.forCall(
                call.getSpec(), cache.list(call.getMetadata().getNamespace()).toList());
    }

    /** The access token, or empty with no agent, no secret reference, or no such Secret/key. */
    public Optional<String> accessToken(VoiceCall call) {
        return agentFor(call).flatMap(agent -> accessToken(call.getMetadata().getNamespace(), agent));
    }

    /** The access token of the agent's Secret in {@code namespace}. */
    Optional<String> accessToken(String namespace, VoiceAgent agent) {
        return Optional.ofNullable(agent.getSpec())
                .map(spec -> spec.getWhatsappAccessTokenSecret())
                .flatMap(ref -> {
                    Secret secret;
                    try {
                        secret = client.secrets()
                                .inNamespace(namespace)
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
                    return SecretValues.value(secret, ref);
                });
    }
}
