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
 * @param readySince when the Ready condition last turned true (slow start counts from it), {@code
 *     null} when not ready or not stated
 * @param draining annotated {@code voicebridge.dev/draining=true}: an administrator cordoned the
 *     worker (it takes no new calls)
 * @param deletionDeadline the pod is being deleted (its deletion timestamp: the end of its grace
 *     period), {@code null} when not: the worker drains, keeping its calls and taking no new ones
 */
public record WorkerPod(
        String name,
        String namespace,
        String node,
        String zone,
        boolean ready,
        Instant notReadySince,
        Instant readySince,
        boolean draining,
        Instant deletionDeadline,
        int capacity) {

    /** Reads a pod; capacity from its annotation, else {@code defaultCapacity}; zone from {@code zoneLabel}. */
    public static WorkerPod from(Pod pod, int defaultCapacity, String zoneLabel) {
        var meta = pod.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        boolean ready = false;
        Instant notReadySince = null;
        Instant readySince = null;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (var condition : pod.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    ready = "True".equals(condition.getStatus());
                    if (ready) {
                        readySince = instant(condition.getLastTransitionTime());
                    } else {
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
                readySince,
                "true".equalsIgnoreCase(annotations.get(Labels.WORKER_DRAINING_ANNOTATION)),
                meta.getDeletionTimestamp() == null ? null : deletionDeadline(meta.getDeletionTimestamp()),
                capacity(annotations.get(Labels.WORKER_CAPACITY_ANNOTATION), defaultCapacity));
    }

    /** A worker that takes new calls: ready, not draining, not being deleted. */
    public boolean placeable() {
        return ready && !draining && !terminating();
    }

    /** Kubernetes is deleting the pod: the worker got (or is about to get) SIGTERM and drains. */
    public boolean terminating() {
        return deletionDeadline != null;
    }

    /**
     * When the worker's not-ready state starts to count against its calls. A worker being deleted
     * reports not ready while it drains, and keeps its calls until its grace period ends; only a
     * pod that outlives that deadline (its node is gone, say) has lost them.
     */
    public Instant notReadyCountsFrom() {
        if (notReadySince == null || deletionDeadline == null) {
            return notReadySince;
        }
        return deletionDeadline.isAfter(notReadySince) ? deletionDeadline : notReadySince;
    }

    /** A deletion timestamp that cannot be parsed still marks the pod terminating: as of now. */
    private static Instant deletionDeadline(String text) {
        Instant parsed = instant(text);
        return parsed != null ? parsed : Instant.now();
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
