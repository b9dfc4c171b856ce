package dev.voicebridge.operator.registry;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.placement.PlacementStrategy;
import dev.voicebridge.operator.placement.WorkerCandidate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Worker load, counted from the calls assigned to each worker, and the placement decision made
 * under one lock. The informer cache lags behind our own status writes, so two calls reconciled
 * at once would both see a worker's last free slot; reservations made here cover that window.
 * They are derived state only (rebuilt from status.assignment after a restart) — no extra store.
 */
public final class LoadLedger {
    private final PlacementStrategy strategy;
    /** namespace/call → worker, for assignments this process made and may not see in the cache yet. */
    private final Map<String, String> reservations = new HashMap<>();

    public LoadLedger(PlacementStrategy strategy) {
        this.strategy = strategy;
    }

    /** What placement found, for metrics and events. */
    public sealed interface Result {
        record Placed(WorkerPod worker, int loadBefore) implements Result {}

        record NoWorker(String reason) implements Result {}
    }

    /**
     * Chooses a worker for {@code callName} in {@code namespace} and reserves the slot.
     *
     * @param workers worker pods of the namespace
     * @param calls cached calls of the namespace (any phase)
     */
    public synchronized Result place(
            String namespace, String callName, Collection<WorkerPod> workers, Collection<VoiceCall> calls) {
        Map<String, Integer> load = loadByWorker(namespace, calls);
        List<WorkerCandidate> candidates = workers.stream()
                .map(w -> new WorkerCandidate(
                        w.name(),
                        w.node(),
                        w.zone(),
                        w.ready() && !w.terminating(),
                        w.draining(),
                        w.capacity(),
                        load.getOrDefault(w.name(), 0)))
                .toList();
        Optional<WorkerCandidate> chosen = strategy.choose(candidates);
        if (chosen.isEmpty()) {
            return new Result.NoWorker(whyNone(workers, candidates));
        }
        reservations.put(namespace + "/" + callName, chosen.get().name());
        WorkerPod pod = workers.stream()
                .filter(w -> w.name().equals(chosen.get().name()))
                .findFirst()
                .orElseThrow();
        return new Result.Placed(pod, chosen.get().load());
    }

    /** Forget a reservation: the call ended, was re-placed, or the assignment was not recorded. */
    public synchronized void release(String namespace, String callName) {
        reservations.remove(namespace + "/" + callName);
    }

    /** Calls not ended per worker: the cache's assignments, overridden by fresher reservations. */
    public synchronized Map<String, Integer> loadByWorker(String namespace, Collection<VoiceCall> calls) {
        String prefix = namespace + "/";
        Map<String, String> effective = new HashMap<>();
        Set<String> running = new HashSet<>();
        Set<String> present = new HashSet<>();
        for (VoiceCall call : calls) {
            String key = prefix + call.getMetadata().getName();
            present.add(key);
            if (call.phase().isTerminal()) {
                continue;
            }
            running.add(key);
            var assignment = call.getStatus() == null ? null : call.getStatus().getAssignment();
            if (assignment != null && assignment.getWorker() != null) {
                effective.put(key, assignment.getWorker());
            }
        }
        reservations.keySet().removeIf(key -> key.startsWith(prefix) && !present.contains(key));
        reservations.forEach((key, worker) -> {
            if (running.contains(key)) {
                effective.put(key, worker);
            }
        });
        Map<String, Integer> load = new HashMap<>();
        effective.values().forEach(worker -> load.merge(worker, 1, Integer::sum));
        return load;
    }

    private static String whyNone(Collection<WorkerPod> workers, List<WorkerCandidate> candidates) {
        if (workers.isEmpty()) {
            return "NoWorkers";
        }
        if (candidates.stream().noneMatch(WorkerCandidate::ready)) {
            return "NoReadyWorker";
        }
        if (candidates.stream().filter(WorkerCandidate::ready).allMatch(WorkerCandidate::draining)) {
            return "AllDraining";
        }
        return "AllFull";
    }
}
