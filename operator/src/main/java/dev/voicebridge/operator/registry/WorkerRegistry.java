package dev.voicebridge.operator.registry;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Media workers from their pods (label {@code app.kubernetes.io/component=media-worker}), watched
 * by an informer that also wakes the calls a pod change concerns: the calls assigned to it (it
 * may have died) and the calls still waiting for a worker (it may have room now).
 */
public final class WorkerRegistry implements CachedCalls {
    static final String BY_WORKER = "voicebridge-by-worker";
    private static final String UNASSIGNED = "~unassigned";

    private final int defaultCapacity;
    private final String zoneLabel;
    private volatile InformerEventSource<Pod, VoiceCall> pods;
    private volatile IndexerResourceCache<VoiceCall> calls;

    public WorkerRegistry(int defaultCapacity, String zoneLabel) {
        this.defaultCapacity = defaultCapacity;
        this.zoneLabel = zoneLabel;
    }

    public List<EventSource<?, VoiceCall>> prepare(EventSourceContext<VoiceCall> context) {
        IndexerResourceCache<VoiceCall> primary = context.getPrimaryCache();
        primary.addIndexer(BY_WORKER, call -> List.of(indexKey(call)));
        this.calls = primary;
        var configuration = InformerEventSourceConfiguration.from(Pod.class, VoiceCall.class)
                .withName("media-worker-pods")
                .withLabelSelector(Labels.COMPONENT + "=" + Labels.COMPONENT_MEDIA_WORKER)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(pod -> affected(primary, pod))
                .build();
        this.pods = new InformerEventSource<>(configuration, context);
        return List.of(pods);
    }

    private static String indexKey(VoiceCall call) {
        var status = call.getStatus();
        String worker = status == null || status.getAssignment() == null
                ? null
                : status.getAssignment().getWorker();
        if (call.phase().isTerminal()) {
            return call.getMetadata().getNamespace() + "/~ended";
        }
        return call.getMetadata().getNamespace() + "/" + (worker == null ? UNASSIGNED : worker);
    }

    private static Set<ResourceID> affected(IndexerResourceCache<VoiceCall> primary, Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        Set<ResourceID> ids = new HashSet<>();
        for (String key : List.of(namespace + "/" + pod.getMetadata().getName(), namespace + "/" + UNASSIGNED)) {
            primary.byIndex(BY_WORKER, key).forEach(call -> ids.add(ResourceID.fromResource(call)));
        }
        return ids;
    }

    public Collection<WorkerPod> workers(String namespace) {
        return pods.list(namespace)
                .map(pod -> WorkerPod.from(pod, defaultCapacity, zoneLabel))
                .toList();
    }

    /** Every worker pod the informer holds, all namespaces (empty before the operator started). */
    public Collection<Pod> workerPods() {
        var source = pods;
        return source == null ? List.of() : source.list().toList();
    }

    public Optional<WorkerPod> worker(VoiceCall call) {
        var assignment = call.getStatus() == null ? null : call.getStatus().getAssignment();
        if (assignment == null || assignment.getWorker() == null) {
            return Optional.empty();
        }
        return pods.get(new ResourceID(
                        assignment.getWorker(), call.getMetadata().getNamespace()))
                .map(pod -> WorkerPod.from(pod, defaultCapacity, zoneLabel));
    }

    /** From the index of running calls by worker: as many calls as that worker runs, never the ended ones. */
    @Override
    public int running(String namespace, String worker) {
        return calls.byIndex(BY_WORKER, namespace + "/" + worker).size();
    }

    @Override
    public Optional<VoiceCall> get(String namespace, String name) {
        return calls.get(new ResourceID(name, namespace));
    }

    public Map<CallPhase, Long> callsByPhase() {
        if (calls == null) {
            return Map.of();
        }
        Map<CallPhase, Long> counts = new EnumMap<>(CallPhase.class);
        counts.putAll(calls.list().collect(Collectors.groupingBy(VoiceCall::phase, Collectors.counting())));
        return counts;
    }
}
