package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's API server is usable by a separate client through the kubeconfig it writes. */
class InMemoryKubeApiIT {
    @TempDir
    Path dir;

    @Test
    void servesTheCrdsTheDefaultAgentAndTheWorkerThroughItsKubeconfig() throws Exception {
        try (var kube = InMemoryKubeApi.start(0)) {
            kube.seedDefaultAgent("voicebridge", "100000000000001", Optional.of("sk-local"));
            kube.registerWorkerPod("voicebridge", "media-worker-local", "127.0.0.1", 20);
            Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), "voicebridge");

            var config = Config.fromKubeconfig(Files.readString(kubeconfig));
            try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
                assertThat(config.getMasterUrl()).startsWith("http://127.0.0.1:");
                assertThat(config.getNamespace()).isEqualTo("voicebridge");
                var agent =
                        client.resources(VoiceAgent.class).withName("default").get();
                assertThat(agent.getSpec().getPhoneNumberIds()).containsExactly("100000000000001");
                assertThat(agent.getSpec().getOpenaiApiKeySecret().getName()).isEqualTo("openai");
                assertThat(client.secrets().withName("openai").get().getData()).containsKey("api-key");
                var workers = client.pods()
                        .withLabel(Labels.COMPONENT, Labels.COMPONENT_MEDIA_WORKER)
                        .list()
                        .getItems();
                assertThat(workers).singleElement().satisfies(pod -> {
                    assertThat(pod.getStatus().getConditions())
                            .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus())
                                    .isEqualTo("Ready=True"));
                });
                assertThat(client.apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .list()
                                .getItems())
                        .hasSize(2);
            }
        }
    }

    @Test
    void withoutAKeyTheDefaultAgentIsTheEmbeddedOne() {
        try (var kube = InMemoryKubeApi.start(0)) {
            var agent = kube.seedDefaultAgent("voicebridge", "1", Optional.empty());
            assertThat(agent.getSpec().getOpenaiApiKeySecret()).isNull();
            assertThat(kube.client().secrets().inNamespace("voicebridge").list().getItems())
                    .isEmpty();
        }
    }
}
