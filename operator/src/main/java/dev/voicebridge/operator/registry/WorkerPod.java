package dev.voicebridge.operator.registry;

import dev.voicebridge.api.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What the registry reads from one media-worker pod.
 *
 * @param notReadySince when the Ready condition last turned false, {@code null} when ready
 * @param terminating the pod is being deleted (it keeps its calls, takes no new ones)
 */
public record WorkerPod(
        String name,
        String namespace,
        String node,
        String zone,
        boolean ready,
        Instant notReadySince,
        boolean draining,
        boolean terminating,
        int capacity) {

    /** Reads a pod; capacity from its annotation, else {@code defaultCapacity}; zone from {@code zoneLabel}. */
    public static WorkerPod from(Pod pod, int defaultCapacity, String zoneLabel) {
        var meta = pod.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        boolean ready = false;
        Instant notReadySince = null;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (var condition : pod.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    ready = "True".equals(condition.getStatus());
                    if (!ready) {
                        notReadySince = instant(condition.getLastTransitionTime());
                    }
                }
            }
        }
        return new WorkerPod(
                meta.getName(),
                meta.getNamespace(),
                pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
                labels.get(zoneLabel),
                ready,
                notReadySince,
                "true".equalsIgnoreCase(annotations.get(Labels.WORKER_DRAINING_ANNOTATION)),
                meta.getDeletionTimestamp() != null,
                capacity(annotations.get(Labels.WORKER_CAPACITY_ANNOTATION), defaultCapacity));
    }

    /** A worker that takes new calls: ready, not draining, not being deleted. */
    public boolean placeable() {
        return ready && !draining && !terminating;
    }

    private static int capacity(String annotation, int defaultCapacity) {
        if (annotation == null) {
            return defaultCapacity;
        }
        try {
            return Math.max(0, Integer.parseInt(annotation.trim()));
        } catch (NumberFormatException e) {
            // A malformed annotation must not take the worker down nor overbook it: use the default.
            return defaultCapacity;
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
