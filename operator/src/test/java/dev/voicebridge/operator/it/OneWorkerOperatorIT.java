package dev.voicebridge.operator.it;

import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator started on the in-memory API server with one ready worker, {@code worker-a}, room
 * for 10 calls: the set-up of the tests that follow one call through the operator.
 */
@ExtendWith(KubeApiExtension.class)
abstract class OneWorkerOperatorIT {
    KubernetesClient client;
    InMemoryKubeApi kube;
    OperatorHarness h;

    /** Settings over the harness's defaults. */
    Map<ConfigKey, String> settings() {
        return Map.of();
    }

    @BeforeEach
    void startOperator() {
        h = new OperatorHarness(client);
        h.worker("worker-a", 10, true);
        h.start(settings());
    }

    @AfterEach
    void stopOperator() {
        h.close();
    }
}
