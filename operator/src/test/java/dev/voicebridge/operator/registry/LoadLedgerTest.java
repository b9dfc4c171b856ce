package dev.voicebridge.operator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.placement.LeastLoadedPlacement;
import dev.voicebridge.operator.placement.SlowStart;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadLedgerTest {
    /** The cache as a list, as the informer's index answers for it; counts what the ledger asks. */
    static final class ListedCalls implements CachedCalls {
        final List<VoiceCall> calls;
        int counts;
        int reads;

        ListedCalls(Collection<VoiceCall> calls) {
            this.calls = new ArrayList<>(calls);
        }

        @Override
        public int running(String namespace, String worker) {
            counts++;
            return (int) calls.stream()
                    .filter(c -> !c.phase().isTerminal())
                    .filter(c -> c.getStatus() != null && c.getStatus().getAssignment() != null)
                    .filter(c -> worker.equals(c.getStatus().getAssignment().getWorker()))
                    .count();
        }

        @Override
        public Optional<VoiceCall> get(String namespace, String name) {
            reads++;
            return calls.stream()
                    .filter(c -> c.getMetadata().getName().equals(name))
                    .findFirst();
        }
    }

    static VoiceCall call(String name, String worker, CallPhase phase) {
        var call = new VoiceCall();
        call.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        if (worker != null || phase != null) {
            call.statusOrNew().setPhase(phase);
            if (worker != null) {
                var assignment = new Assignment();
                assignment.setWorker(worker);
                call.getStatus().setAssignment(assignment);
            }
        }
        return call;
    }

    static WorkerPod pod(String name, int capacity) {
        return new WorkerPod(name, "ns", "node", null, true, null, null, false, null, capacity);
    }

    @Test
    void reservationsCoverAssignmentsTheCacheHasNotSeenYet() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        List<WorkerPod> workers = List.of(pod("a", 2), pod("b", 1));
        var cache = new ListedCalls(List.of());
        for (int i = 0; i < 4; i++) {
            cache.calls.add(call("c" + i, null, null));
        }
        // The cache never shows the assignments: only the reservations prevent overbooking.
        var results = new ArrayList<LoadLedger.Result>();
        for (int i = 0; i < 4; i++) {
            results.add(ledger.place("ns", "c" + i, workers, cache));
        }
        assertThat(results.subList(0, 3)).allMatch(r -> r instanceof LoadLedger.Result.Placed);
        assertThat(results.get(3)).isEqualTo(new LoadLedger.Result.NoWorker("AllFull"));
        assertThat(ledger.loadByWorker("ns", List.of("a", "b"), cache))
                .containsEntry("a", 2)
                .containsEntry("b", 1);
    }

    @Test
    void endedAndDeletedCallsFreeTheirSlot() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        var cache = new ListedCalls(List.of(
                call("ended", "a", CallPhase.Ended), call("live", "a", CallPhase.Connected), call("new", null, null)));
        assertThat(ledger.loadByWorker("ns", List.of("a"), cache))
                .containsOnlyKeys("a")
                .containsEntry("a", 1);
        assertThat(ledger.place("ns", "new", List.of(pod("a", 2)), cache)).isInstanceOf(LoadLedger.Result.Placed.class);
        assertThat(ledger.loadByWorker("ns", List.of("a"), cache)).containsEntry("a", 2);
        cache.calls.removeIf(c -> c.getMetadata().getName().equals("new"));
        assertThat(ledger.loadByWorker("ns", List.of("a"), cache)).containsEntry("a", 1);
        assertThat(ledger.pendingReservations()).isZero();
    }

    @Test
    void aReservationEndsOnceTheCacheShowsItsAssignment() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        var cache = new ListedCalls(List.of(call("c0", null, CallPhase.Pending), call("c1", null, CallPhase.Pending)));
        ledger.place("ns", "c0", List.of(pod("a", 5)), cache);
        ledger.place("ns", "c1", List.of(pod("a", 5)), cache);
        assertThat(ledger.pendingReservations()).isEqualTo(2);
        // The operator's status writes reach the informer: the cache now counts both calls.
        cache.calls.replaceAll(c -> call(c.getMetadata().getName(), "a", CallPhase.Assigned));
        assertThat(ledger.loadByWorker("ns", List.of("a"), cache)).containsEntry("a", 2);
        // Kept until the calls were deleted, reservations grew with every call of the retention.
        assertThat(ledger.pendingReservations()).isZero();
    }

    @Test
    void aFresherReservationMovesACallTheCacheStillShowsOnItsLastWorker() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        // Attempt 1 went to a, which was lost; the cache still shows a when attempt 2 is placed.
        var cache =
                new ListedCalls(List.of(call("c", "a", CallPhase.Assigned), call("other", "a", CallPhase.Connected)));
        var notReady = new WorkerPod("a", "ns", "node", null, false, null, null, false, null, 5);
        assertThat(ledger.place("ns", "c", List.of(notReady, pod("b", 5)), cache))
                .isEqualTo(new LoadLedger.Result.Placed(pod("b", 5), 0));
        assertThat(ledger.loadByWorker("ns", List.of("a", "b"), cache))
                .containsEntry("a", 1)
                .containsEntry("b", 1);
    }

    @Test
    void placementReadsTheRunningCountsNotTheEndedCallsTheCacheKeeps() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        var history = new ArrayList<VoiceCall>();
        for (int i = 0; i < 10_000; i++) {
            history.add(call("ended-" + i, i % 2 == 0 ? "a" : "b", CallPhase.Ended));
        }
        history.add(call("new", null, CallPhase.Pending));
        var cache = new ListedCalls(history);
        assertThat(ledger.place("ns", "new", List.of(pod("a", 5), pod("b", 5)), cache))
                .isInstanceOf(LoadLedger.Result.Placed.class);
        assertThat(ledger.loadByWorker("ns", List.of("a", "b"), cache).values()).containsExactly(1);
        // One count per worker per question, one read per pending reservation: nothing per ended call.
        assertThat(cache.counts).isEqualTo(4);
        assertThat(cache.reads).isEqualTo(1);
    }

    @Test
    void noWorkerReasons() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        assertThat(ledger.place("ns", "c", List.of(), new ListedCalls(List.of())))
                .isEqualTo(new LoadLedger.Result.NoWorker("NoWorkers"));
        var notReady = new WorkerPod("a", "ns", null, null, false, null, null, false, null, 5);
        assertThat(ledger.place("ns", "c", List.of(notReady), new ListedCalls(List.of())))
                .isEqualTo(new LoadLedger.Result.NoWorker("NoReadyWorker"));
        var draining = new WorkerPod("a", "ns", null, null, true, null, null, true, null, 5);
        assertThat(ledger.place("ns", "c", List.of(draining), new ListedCalls(List.of())))
                .isEqualTo(new LoadLedger.Result.NoWorker("AllDraining"));
    }

    @Test
    void aWorkerThatJustTurnedReadyTakesATenthOfItsCapacityFirst() {
        Instant now = Instant.parse("2026-12-07T01:00:00Z");
        var ledger = new LoadLedger(
                new LeastLoadedPlacement(null),
                new SlowStart(Duration.ofSeconds(60)),
                Clock.fixed(now, ZoneOffset.UTC));
        var warm = new WorkerPod("warm", "ns", "node", null, true, null, now.minusSeconds(3600), false, null, 20);
        var fresh = new WorkerPod("fresh", "ns", "node", null, true, null, now.minusSeconds(1), false, null, 20);
        var cache = new ListedCalls(new ArrayList<>());
        var placedOn = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            cache.calls.add(call("c" + i, null, CallPhase.Pending));
            var placed = (LoadLedger.Result.Placed) ledger.place("ns", "c" + i, List.of(warm, fresh), cache);
            placedOn.add(placed.worker().name());
        }
        // The fresh worker's share is 10 % of 20 (its load compared with 2, the warm one's with 20);
        // without slow start it would have taken 10 of the 20.
        assertThat(placedOn.stream().filter("fresh"::equals).count()).isEqualTo(2);
        assertThat(placedOn.stream().filter("warm"::equals).count()).isEqualTo(18);
        // Both full to their share now: the next call still finds room on the fresh worker.
        cache.calls.add(call("c20", null, CallPhase.Pending));
        cache.calls.add(call("c21", null, CallPhase.Pending));
        cache.calls.add(call("c22", null, CallPhase.Pending));
        ledger.place("ns", "c20", List.of(warm, fresh), cache);
        ledger.place("ns", "c21", List.of(warm, fresh), cache);
        assertThat(ledger.place("ns", "c22", List.of(warm, fresh), cache))
                .isEqualTo(new LoadLedger.Result.Placed(fresh, 2));
    }

    @Test
    void theReadyConditionsTransitionTimeIsTheWorkersAge() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("w")
                .withNamespace("ns")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withLastTransitionTime("2026-12-07T00:59:00Z")
                .endCondition()
                .endStatus()
                .build();
        var read = WorkerPod.from(pod, 10, "zone");
        assertThat(read.readySince()).isEqualTo(Instant.parse("2026-12-07T00:59:00Z"));
        assertThat(read.notReadySince()).isNull();
        pod.getStatus().getConditions().getFirst().setStatus("False");
        assertThat(WorkerPod.from(pod, 10, "zone").readySince()).isNull();
        pod.getStatus().getConditions().getFirst().setStatus("True");
        pod.getStatus().getConditions().getFirst().setLastTransitionTime("yesterday");
        assertThat(WorkerPod.from(pod, 10, "zone").readySince())
                .as("unreadable: age unknown")
                .isNull();
    }
}
