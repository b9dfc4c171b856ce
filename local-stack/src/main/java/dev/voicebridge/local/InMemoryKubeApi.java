package dev.voicebridge.local;

import dev.voicebridge.api.Crds;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.IdlePolicy;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's Kubernetes API: Fabric8's CRUD mock server on loopback (plain HTTP, nothing
 * to trust), with voicebridge's CRDs, a namespace, and a default agent installed, plus a kubeconfig
 * file the services read through {@code KUBECONFIG} exactly as they would in a cluster. In front of
 * the store: discovery ({@link DiscoveryDispatcher}), what kubectl needs of an API server (tables,
 * protobuf bodies, field selectors; {@link KubectlDispatcher}) and RFC 7386 merge patches
 * ({@link MergePatchDispatcher}).
 */
public final class InMemoryKubeApi implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String url;

    private InMemoryKubeApi(KubernetesMockServer server, KubernetesClient client, String url) {
        this.server = server;
        this.client = client;
        this.url = url;
    }

    /** Starts the API server on {@code 127.0.0.1:port} (0 = any free port) with the CRDs installed. */
    public static InMemoryKubeApi start(int port) {
        var server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new DiscoveryDispatcher(new KubectlDispatcher(
                        new MergePatchDispatcher(new KubernetesCrudDispatcher(List.of())), Clock.systemUTC())),
                false);
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = server.createClient();
        Crds.all().forEach(crd -> client.resource(crd).create());
        String url = "http://127.0.0.1:" + server.getPort();
        return new InMemoryKubeApi(server, client, url);
    }

    public String url() {
        return url;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Writes a kubeconfig pointing at this server, for the service processes. */
    public Path writeKubeconfig(Path file, String namespace) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: voicebridge-local
                  cluster:
                    server: %s
                users:
                - name: voicebridge-local
                  user:
                    token: local
                contexts:
                - name: voicebridge-local
                  context:
                    cluster: voicebridge-local
                    user: voicebridge-local
                    namespace: %s
                current-context: voicebridge-local
                """.formatted(url, namespace), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Installs the namespace and the default agent: it answers {@code phoneNumberId}, greets the
     * caller, hangs up after a minute of silence, and uses {@code api} (realtime or live, on the
     * API's default model) when a key is given, else the embedded agent.
     */
    public VoiceAgent seedDefaultAgent(String namespace, String phoneNumberId, Optional<String> openAiKey, String api) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        var spec = new VoiceAgentSpec();
        spec.setPhoneNumberIds(List.of(phoneNumberId));
        spec.setApi(api);
        spec.setVoice("marin");
        spec.setInstructions("You are voicebridge's demo agent. Be brief, friendly and helpful.");
        var greeting = new Greeting();
        greeting.setInstructions("Greet the caller in one short sentence and ask how you can help.");
        greeting.setLeadInMillis(400);
        spec.setGreeting(greeting);
        // GPT-Live bills silence: a forgotten call hangs up by itself
        var idle = new IdlePolicy();
        idle.setTimeoutSeconds(60);
        idle.setGoodbye("Say that you will hang up now because the line is quiet, and say goodbye.");
        spec.setIdle(idle);
        openAiKey.ifPresent(key -> {
            client.resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("openai")
                            .withNamespace(namespace)
                            .endMetadata()
                            // The CRUD mock does not turn stringData into data as an API server does.
                            .withData(Map.of("api-key", base64(key)))
                            .build())
                    .create();
            var ref = new SecretKeyRef();
            ref.setName("openai");
            ref.setKey("api-key");
            spec.setOpenaiApiKeySecret(ref);
        });
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName("default");
        agent.getMetadata().setNamespace(namespace);
        return client.resource(agent).create();
    }

    /**
     * Registers a media worker the way its Deployment would: a ready Pod with the worker labels, so
     * the operator's registry can place calls on it.
     */
    public Pod registerWorkerPod(String namespace, String podName, String address, int capacity) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(namespace)
                .addToLabels(Labels.COMPONENT, Labels.COMPONENT_MEDIA_WORKER)
                .addToAnnotations(Labels.WORKER_CAPACITY_ANNOTATION, Integer.toString(capacity))
                .addToAnnotations(Labels.WORKER_ADVERTISED_ADDRESS_ANNOTATION, address)
                .endMetadata()
                .withNewSpec()
                .withNodeName("localhost")
                .addNewContainer()
                .withName("media-worker")
                .withImage("voicebridge/media-worker:local")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(address)
                .addNewContainerStatus()
                .withName("media-worker")
                .withImage("voicebridge/media-worker:local")
                .withReady(true)
                .withStarted(true)
                .withRestartCount(0)
                .endContainerStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        return client.resource(pod).create();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
