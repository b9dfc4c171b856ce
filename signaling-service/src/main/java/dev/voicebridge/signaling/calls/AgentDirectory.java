package dev.voicebridge.signaling.calls;

import dev.voicebridge.api.agent.AgentSelection;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * VoiceAgents of the namespace, cached by one informer, so choosing the agent for a webhook costs
 * no API call. When several agents claim a phone-number id, {@link AgentSelection}'s rule picks one
 * (the first by name, as the operator and the worker do) and the conflict is logged.
 */
public final class AgentDirectory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentDirectory.class.getName());
    private final SharedIndexInformer<VoiceAgent> informer;
    private final String namespace;

    public AgentDirectory(KubernetesClient client, String namespace) {
        this.namespace = namespace;
        this.informer =
                client.resources(VoiceAgent.class).inNamespace(namespace).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.warning(LogLine.of("informer.error", "kind", "VoiceAgent", "started", started, "error", error));
            return true;
        });
    }

    public void start() {
        informer.start();
    }

    public boolean hasSynced() {
        return informer.hasSynced() && informer.isRunning();
    }

    public Optional<String> forPhoneNumberId(String phoneNumberId) {
        List<String> matches = AgentSelection.claiming(
                        phoneNumberId, informer.getStore().list())
                .stream()
                .map(a -> a.getMetadata().getName())
                .toList();
        if (matches.size() > 1) {
            LOG.warning(LogLine.of(
                    "agent.ambiguous",
                    "phoneNumberId",
                    phoneNumberId,
                    "agents",
                    String.join(",", matches),
                    "chosen",
                    matches.get(0)));
        }
        return matches.stream().findFirst();
    }

    /** The phone-number ids the named agent lists (empty when it lists none or does not exist). */
    public List<String> phoneNumberIdsOf(String name) {
        VoiceAgent agent = informer.getStore().getByKey(namespace + "/" + name);
        return agent == null || agent.getSpec() == null || agent.getSpec().getPhoneNumberIds() == null
                ? List.of()
                : List.copyOf(agent.getSpec().getPhoneNumberIds());
    }

    public boolean exists(String name) {
        return informer.getStore().getByKey(namespace + "/" + name) != null;
    }

    @Override
    public void close() {
        informer.close();
    }
}
