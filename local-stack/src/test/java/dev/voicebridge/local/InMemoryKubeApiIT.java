package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.agent.SecretValues;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        try (var kube = LocalStack.kubeApi(0)) {
            DefaultAgent.seed(kube.client(), "voicebridge", "100000000000001", Optional.of("sk-local"), "live");
            kube.registerWorkerPod("voicebridge", "media-worker-local", "127.0.0.1", 20);
            Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), "voicebridge");

            var config = Config.fromKubeconfig(Files.readString(kubeconfig));
            try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
                assertThat(config.getMasterUrl()).startsWith("http://127.0.0.1:");
                assertThat(config.getNamespace()).isEqualTo("voicebridge");
                var agent =
                        client.resources(VoiceAgent.class).withName("default").get();
                assertThat(agent.getSpec().getPhoneNumberIds()).containsExactly("100000000000001");
                assertThat(agent.getSpec().getApi()).isEqualTo("live");
                assertThat(agent.getSpec().getModel()).isNull(); // the API's default model
                assertThat(agent.getSpec().getIdle().getTimeoutSeconds()).isEqualTo(60);
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
        try (var kube = LocalStack.kubeApi(0)) {
            var agent = DefaultAgent.seed(kube.client(), "voicebridge", "1", Optional.empty(), "realtime");
            assertThat(agent.getSpec().getOpenaiApiKeySecret()).isNull();
            assertThat(kube.client().secrets().inNamespace("voicebridge").list().getItems())
                    .isEmpty();
        }
    }

    /** The WhatsApp path of the local stack: the token in Secret whatsapp, as the services read it. */
    @Test
    void aWhatsAppTokenIsSeededAsDataAndReferencedByTheDefaultAgent() {
        try (var kube = LocalStack.kubeApi(0)) {
            var agent = DefaultAgent.seed(
                    kube.client(), "voicebridge", "1", Optional.empty(), "realtime", Optional.of("local-token"));
            var ref = agent.getSpec().getWhatsappAccessTokenSecret();
            assertThat(ref.getName()).isEqualTo("whatsapp");
            assertThat(ref.getKey()).isEqualTo("access-token");
            var secret = kube.client()
                    .secrets()
                    .inNamespace("voicebridge")
                    .withName("whatsapp")
                    .get();
            assertThat(SecretValues.value(secret, ref)).contains("local-token");
        }
    }

    /** kubectl maps `vc`/`va` to URLs through discovery, which the CRUD mock alone does not serve. */
    @Test
    void servesTheApiDiscoveryKubectlNeeds() throws Exception {
        try (var kube = LocalStack.kubeApi(0);
                var http = HttpClient.newHttpClient()) {
            var json = new ObjectMapper();
            var group = json.readTree(get(http, kube.url() + "/apis/voicebridge.dev/v1alpha1"));
            assertThat(group.path("resources").findValuesAsText("name")).contains("voicecalls", "voiceagents");
            assertThat(group.toString()).contains("\"shortNames\":[\"vc\"]").contains("\"shortNames\":[\"va\"]");
            assertThat(json.readTree(get(http, kube.url() + "/api?timeout=32s"))
                            .path("versions")
                            .get(0)
                            .asText())
                    .isEqualTo("v1");
            assertThat(json.readTree(get(http, kube.url() + "/apis"))
                            .path("groups")
                            .findValuesAsText("name"))
                    .contains("voicebridge.dev");
            assertThat(json.readTree(get(http, kube.url() + "/api/v1"))
                            .path("resources")
                            .findValuesAsText("name"))
                    .contains("pods", "secrets");
            // resources themselves still come from the CRUD store
            assertThat(json.readTree(get(http, kube.url() + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
                            .path("items"))
                    .hasSize(2);
        }
    }

    /**
     * RFC 7386: a JSON merge patch replaces arrays. The bare CRUD mock appends them, so every status
     * write carrying a list (operator conditions, the worker's transcript lines) piled up duplicates
     * (seen end to end: the Assigned condition six times); MergePatchDispatcher applies them right.
     */
    @Test
    void aMergePatchReplacesLists() {
        try (var kube = LocalStack.kubeApi(0)) {
            var client = kube.client();
            var spec = new dev.voicebridge.api.v1alpha1.VoiceCallSpec();
            spec.setCallId("x");
            var call = new dev.voicebridge.api.v1alpha1.VoiceCall(spec);
            call.getMetadata().setName("c1");
            call.getMetadata().setNamespace("default");
            client.resource(call).create();
            for (int i = 0; i < 3; i++) {
                var line = new dev.voicebridge.api.v1alpha1.TranscriptLine();
                line.setRole("agent");
                line.setText("hello");
                var agent = new dev.voicebridge.api.v1alpha1.AgentStatus();
                agent.setTranscript(java.util.List.of(line));
                var patch = new dev.voicebridge.api.v1alpha1.VoiceCall();
                patch.statusOrNew().setAgent(agent);
                client.resources(dev.voicebridge.api.v1alpha1.VoiceCall.class)
                        .inNamespace("default")
                        .withName("c1")
                        .subresource("status")
                        .patch(
                                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                                patch);
            }
            var stored = client.resources(dev.voicebridge.api.v1alpha1.VoiceCall.class)
                    .inNamespace("default")
                    .withName("c1")
                    .get();
            assertThat(stored.getStatus().getAgent().getTranscript()).hasSize(1);
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
