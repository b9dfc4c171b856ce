package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.NAMESPACE;
import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.operator.registry.DeletionCost;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scale-down order: the operator keeps each worker pod's pod-deletion-cost equal to its running
 * calls (so the ReplicaSet controller removes the emptiest worker first), writes it only when it
 * changes, and places no call on a worker whose pod is being deleted, however empty.
 */
@ExtendWith(KubeApiExtension.class)
class DeletionCostIT {
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
        h.worker("a", 10, true);
        h.worker("b", 10, true);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_DELETION_COST_INTERVAL, "100ms"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void eachWorkerCostsItsRunningCallsAndTheEmptiestIsRemovedFirst() {
        awaitCosts("0", "0");
        // Least loaded first, then by name: a, b, a.
        for (String id : new String[] {"wacid.c1", "wacid.c2", "wacid.c3"}) {
            h.call(id, AcceptBy.caller);
            h.await(id, c -> worker(c) != null);
        }
        assertThat(worker(h.get("wacid.c1"))).isEqualTo("a");
        assertThat(worker(h.get("wacid.c2"))).isEqualTo("b");
        assertThat(worker(h.get("wacid.c3"))).isEqualTo("a");
        awaitCosts("2", "1");

        // A call that ends frees its worker's cost.
        h.workerEnds("wacid.c2", EndReason.CallerHangup);
        h.awaitPhase("wacid.c2", CallPhase.Ended);
        awaitCosts("2", "0");

        // Nothing changes, nothing is written.
        String version = pod("a").getMetadata().getResourceVersion();
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(5))
                .until(() -> pod("a").getMetadata().getResourceVersion(), version::equals);
    }

    @Test
    void aWorkerBeingDeletedTakesNoNewCallHoweverEmpty() {
        h.call("wacid.d1", AcceptBy.caller);
        h.await("wacid.d1", c -> "a".equals(worker(c)));
        awaitCosts("1", "0");

        // b is the emptiest, so a scale-down deletes it; while it drains it gets no call.
        client.pods().inNamespace(NAMESPACE).withName("b").edit(p -> new PodBuilder(p)
                .editMetadata()
                .addToFinalizers("voicebridge.dev/test-hold")
                .endMetadata()
                .build());
        client.pods().inNamespace(NAMESPACE).withName("b").delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pod("b").getMetadata().getDeletionTimestamp() != null);

        h.call("wacid.d2", AcceptBy.caller);
        h.await("wacid.d2", c -> worker(c) != null);
        assertThat(worker(h.get("wacid.d2"))).isEqualTo("a");
        awaitCosts("2", "0");
    }

    Pod pod(String name) {
        return client.pods().inNamespace(NAMESPACE).withName(name).get();
    }

    String cost(String name) {
        var annotations = pod(name).getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DeletionCost.ANNOTATION);
    }

    void awaitCosts(String a, String b) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(Map.of("a", String.valueOf(cost("a")), "b", String.valueOf(cost("b"))))
                        .isEqualTo(Map.of("a", a, "b", b)));
    }
}
