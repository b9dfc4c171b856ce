package dev.voicebridge.worker.calls;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The VoiceAgents of the worker's namespace and the Secrets they give the worker (OpenAI keys,
 * tool tokens), held by informers, so a call's setup reads them from memory instead of making two
 * or three GETs on the API server on its critical path. Each Secret is watched by name (a field
 * selector on {@code metadata.name}), which RBAC grants like a get when the Role lists the name
 * with {@code list} and {@code watch}; a rotated key still applies to the next call, one watch
 * event later.
 *
 * <p>The cache only saves reads, it never decides: until an informer has synced, and for a name it
 * does not hold (an agent or Secret created a moment ago, a Secret RBAC does not let it watch), the
 * caller reads the API server as before ({@link AgentResolver}).
 */
final class AgentCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentCache.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final SharedIndexInformer<VoiceAgent> agents;
    private final Map<String, SharedIndexInformer<Secret>> secrets = new ConcurrentHashMap<>();
    private volatile boolean closed;

    AgentCache(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.agents = client.resources(VoiceAgent.class).inNamespace(namespace).runnableInformer(0);
        agents.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VoiceAgent agent) {
                watchSecretsOf(agent);
            }

            @Override
            public void onUpdate(VoiceAgent before, VoiceAgent agent) {
                watchSecretsOf(agent);
            }

            @Override
            public void onDelete(VoiceAgent agent, boolean finalStateUnknown) {
                // Its Secrets stay watched: another agent may use them, and they are few.
            }
        });
        agents.exceptionHandler((started, error) -> retry("VoiceAgent", "*", error));
    }

    /**
     * Starts the informers and waits, at most {@code bound}, until the agents and the Secrets they
     * name are in memory, so that even the first call after start reads nothing from the API.
     */
    void start(Duration bound) {
        agents.start();
        long deadline = System.nanoTime() + bound.toNanos();
        boolean secretsNamed = false;
        while (!closed && System.nanoTime() < deadline) {
            if (!secretsNamed && agents.hasSynced()) {
                // The add events may still be on their way: name the Secrets from the store now.
                agents.getStore().list().forEach(this::watchSecretsOf);
                secretsNamed = true;
            }
            if (allSynced()) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean allSynced() {
        return settled(agents) && secrets.values().stream().allMatch(AgentCache::settled);
    }

    /** Synced, or given up (RBAC refused it): either way, waiting longer gains nothing. */
    private static boolean settled(SharedIndexInformer<?> informer) {
        return informer.hasSynced() || informer.stopped().toCompletableFuture().isDone();
    }

    /** The namespace's agents, or empty when the cache cannot say yet. */
    Optional<List<VoiceAgent>> agents() {
        return current(agents) ? Optional.of(agents.getStore().list()) : Optional.empty();
    }

    /** The agent of that name, or empty when the cache does not hold it. */
    Optional<VoiceAgent> agent(String name) {
        return current(agents)
                ? Optional.ofNullable(agents.getStore().getByKey(namespace + "/" + name))
                : Optional.empty();
    }

    /** The Secret of that name, or empty when the cache does not hold it (not watched, not synced, absent). */
    Optional<Secret> secret(String name) {
        var informer = secrets.get(name);
        return informer == null || !current(informer)
                ? Optional.empty()
                : Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
    }

    /**
     * Synced and still watching: an informer that gave up (its watch refused after the list
     * succeeded, say) keeps a store that no longer follows changes.
     */
    private static boolean current(SharedIndexInformer<?> informer) {
        return informer.hasSynced() && informer.isRunning();
    }

    private void watchSecretsOf(VoiceAgent agent) {
        var spec = agent.getSpec();
        if (spec == null || closed) {
            return;
        }
        // Only what the worker itself reads: the WhatsApp token is the operator's.
        Stream.concat(
                        Stream.ofNullable(spec.getOpenaiApiKeySecret()),
                        Stream.ofNullable(spec.getTools())
                                .flatMap(List::stream)
                                .map(AgentTool::getHttp)
                                .filter(Objects::nonNull)
                                .map(http -> http.getBearerTokenSecret()))
                .filter(Objects::nonNull)
                .map(SecretKeyRef::getName)
                .filter(name -> name != null && !name.isBlank())
                .forEach(name -> secrets.computeIfAbsent(name, this::watchSecret));
    }

    private SharedIndexInformer<Secret> watchSecret(String name) {
        var informer = client.secrets().inNamespace(namespace).withName(name).runnableInformer(0);
        informer.exceptionHandler((started, error) -> retry("Secret", name, error));
        informer.start();
        return informer;
    }

    /**
     * Keeps retrying a list/watch that failed, except when RBAC refuses it: that Secret (or the
     * agents) is then read per call as before, and one line says how to avoid it.
     */
    private boolean retry(String kind, String name, Throwable error) {
        if (error instanceof KubernetesClientException e
                && (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
                        || e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED)) {
            LOG.warning(LogLine.of(
                    "informer.forbidden",
                    "kind",
                    kind,
                    "name",
                    name,
                    "httpStatus",
                    e.getCode(),
                    "action",
                    "reading it per call; grant list and watch to cache it"));
            return false;
        }
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        agents.close();
        secrets.values().forEach(SharedIndexInformer::close);
    }
}
