package dev.voicebridge.operator.registry;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.placement.PlacementStrategy;
import dev.voicebridge.operator.placement.SlowStart;
import dev.voicebridge.operator.placement.WorkerCandidate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Worker load, counted from the calls assigned to each worker, and the placement decision made
 * under one lock. The informer cache lags behind our own status writes, so two calls reconciled
 * at once would both see a worker's last free slot; reservations made here cover that window.
 * They are derived state only (rebuilt from status.assignment after a restart) — no extra store.
 */
public final class LoadLedger {
    private final PlacementStrategy strategy;
    private final SlowStart slowStart;
    private final Clock clock;
    /** namespace/call → worker, for assignments this process made and may not see in the cache yet. */
    private final Map<String, String> reservations = new HashMap<>();

    /** Without slow start: every ready worker is warm. */
    public LoadLedger(PlacementStrategy strategy) {
        this(strategy, SlowStart.OFF, Clock.systemUTC());
    }

    public LoadLedger(PlacementStrategy strategy, SlowStart slowStart, Clock clock) {
        this.strategy = strategy;
        this.slowStart = slowStart;
        this.clock = clock;
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
     * @param calls the informer's calls
     */
    public synchronized Result place(
            String namespace, String callName, Collection<WorkerPod> workers, CachedCalls calls) {
        Map<String, Integer> load =
                loadByWorker(namespace, workers.stream().map(WorkerPod::name).toList(), calls);
        Instant now = clock.instant();
        List<WorkerCandidate> candidates = workers.stream()
                .map(w -> new WorkerCandidate(
                        w.name(),
                        w.node(),
                        w.zone(),
                        w.ready() && !w.terminating(),
                        w.draining(),
                        w.capacity(),
                        load.getOrDefault(w.name(), 0),
                        slowStart.capacityAt(w.capacity(), w.readySince(), now)))
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

    /**
     * Calls not ended on each of {@code workers}: the cache's assignments, overridden by fresher
     * reservations. Reads the cache's count per worker and one cached call per reservation still
     * pending, so its cost follows the workers and the placements in flight, never the ended calls
     * the cache holds. A reservation ends once the cache shows its assignment, or shows the call
     * ended or gone.
     */
    public synchronized Map<String, Integer> loadByWorker(
            String namespace, Collection<String> workers, CachedCalls calls) {
        Map<String, Integer> load = new HashMap<>();
        for (String worker : workers) {
            int running = calls.running(namespace, worker);
            if (running > 0) {
                load.put(worker, running);
            }
        }
        String prefix = namespace + "/";
        for (var it = reservations.entrySet().iterator(); it.hasNext(); ) {
            var reservation = it.next();
            if (!reservation.getKey().startsWith(prefix)) {
                continue;
            }
            var cached = calls.get(namespace, reservation.getKey().substring(prefix.length()));
            if (cached.isEmpty() || cached.get().phase().isTerminal()) {
                it.remove();
                continue;
            }
            String shown = assignedWorker(cached.get());
            if (reservation.getValue().equals(shown)) {
                it.remove(); // the cache has caught up: it counts the call
                continue;
            }
            if (shown != null) {
                load.computeIfPresent(shown, (worker, n) -> n > 1 ? n - 1 : null);
            }
            if (workers.contains(reservation.getValue())) {
                load.merge(reservation.getValue(), 1, Integer::sum);
            }
        }
        return load;
    }

    /** Reservations the cache has not caught up with yet. */
    public synchronized int pendingReservations() {
        return reservations.size();
    }

    private static String assignedWorker(VoiceCall call) {
        var assignment = call.getStatus() == null ? null : call.getStatus().getAssignment();
        return assignment == null ? null : assignment.getWorker();
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
