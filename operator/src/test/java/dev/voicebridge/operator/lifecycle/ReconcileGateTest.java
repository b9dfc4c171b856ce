package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconcileGateTest {

    @Test
    void closingWaitsForTheReconcileInFlightAndRefusesNewOnes() throws Exception {
        var gate = new ReconcileGate();
        assertThat(gate.enter()).isTrue();

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.closeAndDrain(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !gate.isOpen());
        assertThat(drained).isNotDone();
        assertThat(gate.enter()).isFalse();

        gate.exit();
        assertThat(drained.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void drainGivesUpAfterItsBound() throws Exception {
        var gate = new ReconcileGate();
        assertThat(gate.enter()).isTrue();
        assertThat(gate.closeAndDrain(Duration.ofMillis(50))).isFalse();
        assertThat(gate.isOpen()).isFalse();
    }

    @Test
    void closingAnIdleGateReturnsAtOnce() throws Exception {
        var gate = new ReconcileGate();
        assertThat(gate.closeAndDrain(Duration.ZERO)).isTrue();
        assertThat(gate.enter()).isFalse();
    }

    @Test
    void refusingDoesNotWaitForTheReconcileInFlight() {
        var gate = new ReconcileGate();
        assertThat(gate.enter()).isTrue();
        gate.refuse();
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.enter()).isFalse();
        gate.exit();
    }
}
