package dev.voicebridge.operator.registry;

import dev.voicebridge.api.log.LogLine;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each media-worker pod's {@code controller.kubernetes.io/pod-deletion-cost} equal to the
 * calls assigned to it that have not ended, so that a scale-down (the ReplicaSet controller deletes
 * the pods of lowest cost first) removes the emptiest worker. The worker itself has no right to
 * write pods (docs/architecture.md, D9); the operator, which counts every worker's calls for
 * placement anyway, writes the annotation.
 *
 * <p>Bounded: one pass every interval, on the leader only, from the informer caches; a pod is
 * patched only when its annotation differs from its count, at most {@link #MAX_PATCHES_PER_PASS}
 * pods per pass (the rest follow in the next). Pods being deleted are left alone. A refused patch
 * (RBAC) is logged once and retried at the next change.
 */
public final class DeletionCost implements AutoCloseable {
    public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    static final int MAX_PATCHES_PER_PASS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(DeletionCost.class);

    private final KubernetesClient client;
    private final WorkerRegistry registry;
    private final Function<String, Map<String, Integer>> loadByNamespace;
    private final BooleanSupplier active;
    private final AtomicBoolean refusalLogged = new AtomicBoolean();
    private ScheduledExecutorService timer;

    /**
     * @param loadByNamespace calls not ended per worker name, for a namespace (the placement ledger's count)
     * @param active whether this replica may write (the leader, not shutting down)
     */
    public DeletionCost(
            KubernetesClient client,
            WorkerRegistry registry,
            Function<String, Map<String, Integer>> loadByNamespace,
            BooleanSupplier active) {
        this.client = client;
        this.registry = registry;
        this.loadByNamespace = loadByNamespace;
        this.active = active;
    }

    /** Runs a pass every {@code interval}; zero or negative: never. */
    public void start(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("deletion-cost").daemon().factory());
        timer.scheduleWithFixedDelay(this::passSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void passSafely() {
        try {
            if (active.getAsBoolean()) {
                pass();
            }
        } catch (RuntimeException e) {
            // Our own bug or an informer not started yet: the next pass tries again.
            LOG.warn(LogLine.of("deletion-cost.pass-failed"), e);
        }
    }

    /** One pass; the number of pods patched. */
    public int pass() {
        Collection<Pod> pods = registry.workerPods();
        Map<String, Map<String, Integer>> loads = new HashMap<>();
        int patched = 0;
        for (Pod pod : pods) {
            if (patched >= MAX_PATCHES_PER_PASS) {
                break;
            }
            var meta = pod.getMetadata();
            if (meta.getDeletionTimestamp() != null) {
                continue;
            }
            int calls =
                    loads.computeIfAbsent(meta.getNamespace(), loadByNamespace).getOrDefault(meta.getName(), 0);
            String want = Integer.toString(calls);
            String have =
                    meta.getAnnotations() == null ? null : meta.getAnnotations().get(ANNOTATION);
            if (want.equals(have)) {
                continue;
            }
            if (patch(meta.getNamespace(), meta.getName(), want)) {
                patched++;
            }
        }
        return patched;
    }

    private boolean patch(String namespace, String name, String cost) {
        try {
            client.pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}");
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false; // deleted since the cache saw it
            }
            if (refusalLogged.compareAndSet(false, true)) {
                LOG.warn(LogLine.of(
                        "deletion-cost.refused",
                        "annotation",
                        ANNOTATION,
                        "pod",
                        namespace + "/" + name,
                        "status",
                        e.getCode(),
                        "hint",
                        "the operator needs patch on pods"));
            }
            return false;
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
