package dev.voicebridge.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads by name after every kind of write the store's index must follow: a relabel (labels are
 * part of the stored key), a delete and a re-create under the same name, the same name in two
 * namespaces; lists and watches, which the index leaves to the store, see the same objects.
 */
@Timeout(60)
class InMemoryKubeApiIT {
    private static ConfigMap map(String namespace, String name, String value, Map<String, String> labels) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withData(Map.of("v", value))
                .build();
    }

    @Test
    void readsByNameFollowRelabelsDeletesRecreatesAndNamespaces() {
        try (var api = InMemoryKubeApi.start(0)) {
            var client = api.client();
            var maps = client.configMaps();
            maps.inNamespace("a")
                    .resource(map("a", "call", "1", Map.of("phase", "one")))
                    .create();
            maps.inNamespace("b").resource(map("b", "call", "other", Map.of())).create();
            assertThat(maps.inNamespace("a").withName("call").get().getData()).containsEntry("v", "1");

            maps.inNamespace("a")
                    .withName("call")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"phase\":\"two\"}}}");
            ConfigMap relabelled = maps.inNamespace("a").withName("call").get();
            assertThat(relabelled.getMetadata().getLabels()).containsEntry("phase", "two");
            maps.inNamespace("a")
                    .withName("call")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"2\"}}");
            assertThat(maps.inNamespace("a").withName("call").get().getData()).containsEntry("v", "2");
            assertThat(maps.inNamespace("a").withLabel("phase", "two").list().getItems())
                    .extracting(m -> m.getData().get("v"))
                    .containsExactly("2");
            assertThat(maps.inNamespace("a").withLabel("phase", "one").list().getItems())
                    .isEmpty();

            maps.inNamespace("a").withName("call").delete();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> maps.inNamespace("a").withName("call").get() == null);
            maps.inNamespace("a").resource(map("a", "call", "3", Map.of())).create();
            assertThat(maps.inNamespace("a").withName("call").get().getData()).containsEntry("v", "3");
            assertThatThrownBy(() -> maps.inNamespace("a")
                            .resource(map("a", "call", "4", Map.of()))
                            .create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                            .isEqualTo(409));
            assertThat(maps.inNamespace("a").withName("absent").get()).isNull();
            assertThat(maps.inNamespace("b").withName("call").get().getData()).containsEntry("v", "other");
        }
    }

    @Test
    void aCustomResourceAndItsStatusAreReadByName() {
        try (var api = InMemoryKubeApi.start(0)) {
            var calls = api.client().resources(VoiceCall.class).inNamespace("a");
            var call = new VoiceCall();
            call.getMetadata().setName("wa-1");
            call.getMetadata().setNamespace("a");
            call.setSpec(new VoiceCallSpec());
            calls.resource(call).create();
            calls.withName("wa-1")
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Assigned\"}}");
            assertThat(calls.withName("wa-1").get().getStatus().getPhase()).hasToString("Assigned");
            assertThat(calls.withName("wa-2").get()).isNull();
            assertThat(calls.list().getItems()).hasSize(1);
        }
    }

    @Test
    void aWatchSeesWritesMadeThroughTheIndex() {
        try (var api = InMemoryKubeApi.start(0)) {
            var maps = api.client().configMaps().inNamespace("a");
            maps.resource(map("a", "call", "1", Map.of())).create();
            List<String> seen = new CopyOnWriteArrayList<>();
            try (var watch = maps.watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, ConfigMap resource) {
                    seen.add(action + " " + resource.getData().get("v"));
                }

                @Override
                public void onClose(WatcherException cause) {}
            })) {
                for (int i = 2; i <= 5; i++) {
                    maps.withName("call")
                            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"" + i + "\"}}");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("MODIFIED 5"));
                assertThat(seen).containsSubsequence("MODIFIED 2", "MODIFIED 3", "MODIFIED 4", "MODIFIED 5");
            }
        }
    }

    @Test
    void theWarmUpWaitsForItsEventsAndLeavesNothingBehind() {
        try (var api = InMemoryKubeApi.start(0)) {
            api.warmUp("warm", 20);
            assertThat(api.client()
                            .resources(VoiceCall.class)
                            .inNamespace("warm")
                            .list()
                            .getItems())
                    .isEmpty();
        }
    }
}
