package dev.voicebridge.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ended calls are kept for the retention, then deleted. */
@ExtendWith(KubeApiExtension.class)
class RetentionIT {
    KubernetesClient client;
    OperatorHarness h;

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void endedCallIsKeptForTheRetentionThenDeleted() {
        h = new OperatorHarness(client);
        h.worker("w", 10, true);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_RETENTION, "2s"));
        h.connect("wacid.gc");
        h.workerEnds("wacid.gc", EndReason.AgentHangup);
        var ended = h.await(
                "wacid.gc",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        long endedAt = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.get("wacid.gc") == null);
        Duration kept = Duration.ofNanos(System.nanoTime() - endedAt);
        assertThat(kept).isGreaterThan(Duration.ofMillis(1000));
        assertThat(ended.getStatus().getTimestamps().getEndedAt()).isNotNull();
        assertThat(h.graph.succeededActions("wacid.gc")).containsExactly("pre_accept", "accept", "terminate");
    }
}
