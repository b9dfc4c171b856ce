package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 100 calls created at once: every one placed, no worker over capacity, no call placed twice. */
@ExtendWith(KubeApiExtension.class)
class ScaleIT {
    KubernetesClient client;
    OperatorHarness h;

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void hundredCallsAtOnceFillTheWorkersExactlyOnce() throws Exception {
        h = new OperatorHarness(client);
        h.worker("w1", 34, true);
        h.worker("w2", 33, true);
        h.worker("w3", 33, true);
        h.start();
        try (var pool = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, 100).forEach(i -> pool.submit(() -> h.call("wacid.scale" + i, AcceptBy.bridge)));
        }
        List<VoiceCall> placed = awaitPlaced(100);

        assertThat(perWorker(placed)).containsOnly(Map.entry("w1", 34L), Map.entry("w2", 33L), Map.entry("w3", 33L));
        assertThat(placed)
                .allSatisfy(c ->
                        assertThat(c.getStatus().getAssignment().getAttempt()).isEqualTo(1));

        // Events are sent after the reconciles that recorded them, by the recorder's own thread.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Long> assignedEvents =
                    client.v1().events().inNamespace(OperatorHarness.NAMESPACE).list().getItems().stream()
                            .filter(e -> "Assigned".equals(e.getReason()))
                            .collect(Collectors.groupingBy(
                                    e -> e.getInvolvedObject().getName(), Collectors.counting()));
            assertThat(assignedEvents).hasSize(100).allSatisfy((name, n) -> assertThat(n)
                    .isEqualTo(1L));
        });
        assertThat(h.operator().metrics().scrape()).contains("voicebridge_placements_total 100");

        // One more call finds every worker full.
        h.call("wacid.scale-extra", AcceptBy.bridge);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> client.v1().events().inNamespace(OperatorHarness.NAMESPACE).list().getItems().stream()
                        .map(Event::getReason)
                        .anyMatch("PlacementFailed"::equals));
        assertThat(worker(h.get("wacid.scale-extra"))).isNull();
    }

    @Test
    void aWorkerThatJustTurnedReadyTakesOnlyItsShareWhileAWarmOneHasRoom() {
        Map<String, Long> spread = placeTenCallsOnAVeteranAndANewcomer("600s");
        // Its share is 10 % of 20 for the first minute of a 600 s window; the two compare load
        // against 20 and 2, so the newcomer takes one of ten. Least-loaded alone splits them 5 / 5.
        assertThat(spread).containsOnly(Map.entry("newcomer", 1L), Map.entry("veteran", 9L));
    }

    @Test
    void withSlowStartOffANewWorkerIsPlainLeastLoaded() {
        assertThat(placeTenCallsOnAVeteranAndANewcomer("0s"))
                .containsOnly(Map.entry("newcomer", 5L), Map.entry("veteran", 5L));
    }

    private Map<String, Long> placeTenCallsOnAVeteranAndANewcomer(String slowStart) {
        h = new OperatorHarness(client);
        h.worker("veteran", 20, true);
        h.setReady("veteran", true, Instant.now().minus(Duration.ofMinutes(30)));
        h.worker("newcomer", 20, true);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_WORKER_SLOW_START, slowStart));
        for (int i = 0; i < 10; i++) {
            h.call("wacid.slow-start" + i, AcceptBy.bridge);
        }
        return perWorker(awaitPlaced(10));
    }

    /** The namespace's calls once there are {@code count} and every one has a worker. */
    private List<VoiceCall> awaitPlaced(int count) {
        var calls = client.resources(VoiceCall.class).inNamespace(OperatorHarness.NAMESPACE);
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> calls.list().getItems(),
                        all -> all.size() == count && all.stream().allMatch(c -> worker(c) != null));
    }

    private static Map<String, Long> perWorker(List<VoiceCall> placed) {
        return placed.stream().collect(Collectors.groupingBy(OperatorHarness::worker, Collectors.counting()));
    }
}
