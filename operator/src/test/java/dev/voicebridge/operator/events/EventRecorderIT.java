package dev.voicebridge.operator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events only inform: the reconcile that records one must not wait for the API server to take
 * it (it held one of the operator's reconcile threads for a round trip per Event, 2–4 per call).
 */
@ExtendWith(KubeApiExtension.class)
class EventRecorderIT {
    private static final String NS = "events";

    KubernetesClient client;
    InMemoryKubeApi kube;
    ConfigMap about;

    @BeforeEach
    void namespace() {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        about = client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("about")
                        .withNamespace(NS)
                        .endMetadata()
                        .build())
                .create();
    }

    @Test
    void recordingReturnsWhileTheApiServerHoldsTheEventAndBothAreWritten() {
        var recorder = new EventRecorder(client, "voicebridge-operator", "test", Clock.systemUTC());
        // The API server takes the first Event at once but answers only after 15 s.
        kube.delay("POST", "/api/v1/namespaces/" + NS + "/events", Duration.ofSeconds(15), 1);
        try {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(5), () -> recorder.record(about, EventReason.Assigned, "first"));
            // Not queued behind the held one.
            recorder.record(about, EventReason.Connected, "second");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                            .anyMatch(e -> "second".equals(e.getMessage())));

            List<Event> events = Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> client.v1().events().inNamespace(NS).list().getItems(), list -> list.size() == 2);
            assertThat(events).extracting(Event::getMessage).containsExactlyInAnyOrder("first", "second");
            assertThat(events)
                    .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("about"));
        } finally {
            recorder.close();
        }
    }

    @Test
    void closingSendsWhatIsQueued() {
        var recorder = new EventRecorder(client, "voicebridge-operator", "test", Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            recorder.record(about, EventReason.Assigned, "event " + i);
        }
        recorder.close();
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).hasSize(5);
    }
}
