package dev.voicebridge.operator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.placement.LeastLoadedPlacement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadLedgerTest {
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
        return new WorkerPod(name, "ns", "node", null, true, null, false, null, capacity);
    }

    @Test
    void reservationsCoverAssignmentsTheCacheHasNotSeenYet() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        List<WorkerPod> workers = List.of(pod("a", 2), pod("b", 1));
        List<VoiceCall> cache = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            cache.add(call("c" + i, null, null));
        }
        // The cache never shows the assignments: only the reservations prevent overbooking.
        var results = new ArrayList<LoadLedger.Result>();
        for (int i = 0; i < 4; i++) {
            results.add(ledger.place("ns", "c" + i, workers, cache));
        }
        assertThat(results.subList(0, 3)).allMatch(r -> r instanceof LoadLedger.Result.Placed);
        assertThat(results.get(3)).isEqualTo(new LoadLedger.Result.NoWorker("AllFull"));
        assertThat(ledger.loadByWorker("ns", cache)).containsEntry("a", 2).containsEntry("b", 1);
    }

    @Test
    void endedAndDeletedCallsFreeTheirSlot() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        List<VoiceCall> cache = new ArrayList<>(List.of(
                call("ended", "a", CallPhase.Ended), call("live", "a", CallPhase.Connected), call("new", null, null)));
        assertThat(ledger.loadByWorker("ns", cache)).containsOnlyKeys("a").containsEntry("a", 1);
        assertThat(ledger.place("ns", "new", List.of(pod("a", 2)), cache)).isInstanceOf(LoadLedger.Result.Placed.class);
        cache.removeIf(c -> c.getMetadata().getName().equals("new"));
        assertThat(ledger.loadByWorker("ns", cache)).containsEntry("a", 1);
    }

    @Test
    void noWorkerReasons() {
        var ledger = new LoadLedger(new LeastLoadedPlacement(null));
        assertThat(ledger.place("ns", "c", List.of(), List.of()))
                .isEqualTo(new LoadLedger.Result.NoWorker("NoWorkers"));
        var notReady = new WorkerPod("a", "ns", null, null, false, null, false, null, 5);
        assertThat(ledger.place("ns", "c", List.of(notReady), List.of()))
                .isEqualTo(new LoadLedger.Result.NoWorker("NoReadyWorker"));
        var draining = new WorkerPod("a", "ns", null, null, true, null, true, null, 5);
        assertThat(ledger.place("ns", "c", List.of(draining), List.of()))
                .isEqualTo(new LoadLedger.Result.NoWorker("AllDraining"));
    }
}
