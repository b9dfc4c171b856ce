package dev.voicebridge.operator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastLoadedPlacementTest {
    static WorkerCandidate w(String name, String zone, int capacity, int load) {
        return new WorkerCandidate(name, "node-" + name, zone, true, false, capacity, load);
    }

    final PlacementStrategy plain = new LeastLoadedPlacement(null);

    @Test
    void choosesTheLowestUtilisationThenMoreFreeSlotsThenName() {
        assertThat(plain.choose(List.of(w("a", null, 10, 5), w("b", null, 10, 2), w("c", null, 10, 7))))
                .map(WorkerCandidate::name)
                .hasValue("b");
        // 5/20 = 5/20 : equal utilisation, the bigger free pool wins.
        assertThat(plain.choose(List.of(w("small", null, 4, 1), w("big", null, 20, 5))))
                .map(WorkerCandidate::name)
                .hasValue("big");
        assertThat(plain.choose(List.of(w("y", null, 10, 0), w("x", null, 10, 0))))
                .map(WorkerCandidate::name)
                .hasValue("x");
    }

    @Test
    void skipsNotReadyDrainingAndFullWorkers() {
        var notReady = new WorkerCandidate("nr", null, null, false, false, 10, 0);
        var draining = new WorkerCandidate("dr", null, null, true, true, 10, 0);
        var full = w("full", null, 3, 3);
        var zero = w("zero", null, 0, 0);
        assertThat(plain.choose(List.of(notReady, draining, full, zero))).isEmpty();
        assertThat(plain.choose(List.of(notReady, draining, full, w("ok", null, 10, 9))))
                .map(WorkerCandidate::name)
                .hasValue("ok");
    }

    @Test
    void prefersTheZoneWhileItHasRoomThenFallsBack() {
        var zoned = new LeastLoadedPlacement("eu-1a");
        assertThat(zoned.choose(List.of(w("far", "eu-1b", 10, 0), w("near", "eu-1a", 10, 8))))
                .map(WorkerCandidate::name)
                .hasValue("near");
        assertThat(zoned.choose(List.of(w("far", "eu-1b", 10, 0), w("near", "eu-1a", 10, 10))))
                .map(WorkerCandidate::name)
                .hasValue("far");
    }

    @Test
    void fillingWorkersOneByOneNeverExceedsCapacity() {
        int[] load = new int[3];
        int[] capacity = {3, 5, 2};
        for (int call = 0; call < 10; call++) {
            var candidates = List.of(
                    w("0", null, capacity[0], load[0]),
                    w("1", null, capacity[1], load[1]),
                    w("2", null, capacity[2], load[2]));
            var chosen = plain.choose(candidates).orElseThrow();
            load[Integer.parseInt(chosen.name())]++;
        }
        assertThat(load).containsExactly(3, 5, 2);
        assertThat(plain.choose(List.of(w("0", null, 3, 3), w("1", null, 5, 5), w("2", null, 2, 2))))
                .isEmpty();
    }

    static WorkerCandidate warming(String name, String zone, int capacity, int load, int warmCapacity) {
        return new WorkerCandidate(name, "node-" + name, zone, true, false, capacity, load, warmCapacity);
    }

    @Test
    void aWarmingWorkerTakesItsShareThenWaitsWhileWarmWorkersHaveRoom() {
        // Least-loaded alone would give the empty new worker every call until it matched the others.
        String[] chosen = new String[12];
        int oldLoad = 30;
        int newLoad = 0;
        for (int call = 0; call < chosen.length; call++) {
            var choice = plain.choose(List.of(w("old", null, 40, oldLoad), warming("new", null, 40, newLoad, 4)))
                    .orElseThrow()
                    .name();
            chosen[call] = choice;
            if (choice.equals("old")) {
                oldLoad++;
            } else {
                newLoad++;
            }
        }
        assertThat(chosen)
                .containsExactly("new", "new", "new", "new", "old", "old", "old", "old", "old", "old", "old", "old");
        assertThat(oldLoad).isEqualTo(38);
    }

    @Test
    void slowStartNeverTurnsACallAway() {
        // Every warm worker is full: the warming one takes calls beyond its share, up to its capacity.
        assertThat(plain.choose(List.of(w("old", null, 10, 10), warming("new", null, 10, 6, 1))))
                .map(WorkerCandidate::name)
                .hasValue("new");
        assertThat(plain.choose(List.of(w("old", null, 10, 10), warming("new", null, 10, 10, 1))))
                .isEmpty();
        // Two warming workers over their shares: plain least-loaded between them.
        assertThat(plain.choose(List.of(warming("a", null, 10, 4, 2), warming("b", null, 10, 3, 2))))
                .map(WorkerCandidate::name)
                .hasValue("b");
    }

    @Test
    void theZoneComesFirstThenTheWarmUpWithinIt() {
        var zoned = new LeastLoadedPlacement("eu-1a");
        // The warming in-zone worker over its share still beats a warm worker in another zone.
        assertThat(zoned.choose(List.of(w("far", "eu-1b", 10, 0), warming("near", "eu-1a", 10, 3, 1))))
                .map(WorkerCandidate::name)
                .hasValue("near");
        // Within the zone the warm worker with room goes first.
        assertThat(zoned.choose(List.of(w("near-warm", "eu-1a", 10, 6), warming("near-new", "eu-1a", 10, 1, 1))))
                .map(WorkerCandidate::name)
                .hasValue("near-warm");
    }
}
