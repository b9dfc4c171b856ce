package dev.voicebridge.testkit.kube;

import dev.voicebridge.api.Crds;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The one Kubernetes API of the tests and the local stack: Fabric8's CRUD mock server on loopback
 * (plain HTTP, nothing to trust) with voicebridge's CRDs installed, corrected where the bare mock
 * differs from an API server in ways the services rely on — discovery ({@link DiscoveryDispatcher})
 * and RFC 7386 merge patches with resourceVersion preconditions ({@link MergePatchDispatcher}) —
 * plus a kubeconfig file services read through {@code KUBECONFIG} as in a cluster. Integration
 * tests get it through {@link KubeApiExtension}; docs/testing.md lists where it still differs
 * from a real API server.
 */
public final class InMemoryKubeApi implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String url;
    private final Map<String, Fixed> fixed;
    private final Map<String, Delayed> delayed;

    private InMemoryKubeApi(
            KubernetesMockServer server,
            KubernetesClient client,
            String url,
            Map<String, Fixed> fixed,
            Map<String, Delayed> delayed) {
        this.fixed = fixed;
        this.delayed = delayed;
        this.server = server;
        this.client = client;
        this.url = url;
    }

    /** Starts the API server on {@code 127.0.0.1:port} (0 = any free port) with the CRDs installed. */
    public static InMemoryKubeApi start(int port) {
        return start(port, UnaryOperator.identity());
    }

    /**
     * As {@link #start(int)}, with {@code front} between discovery and the store (the local stack
     * puts what kubectl needs there: tables, protobuf bodies, field selectors).
     */
    public static InMemoryKubeApi start(int port, UnaryOperator<Dispatcher> front) {
        Map<String, Fixed> fixed = new ConcurrentHashMap<>();
        Map<String, Delayed> delayed = new ConcurrentHashMap<>();
        var api = new DiscoveryDispatcher(front.apply(new MergePatchDispatcher(new IndexedCrudDispatcher())));
        var server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        String path = request.getPath();
                        int query = path.indexOf('?');
                        String key = request.getMethod() + " " + (query < 0 ? path : path.substring(0, query));
                        Fixed answer = fixed.get(key);
                        MockResponse response =
                                answer != null && answer.take() ? answer.response() : api.dispatch(request);
                        Delayed late = delayed.get(key);
                        // The store has already acted; only its answer is held (without blocking the
                        // server's event loop), as a slow or overloaded API server's would be.
                        return late != null && late.take() ? response.setBodyDelay(late.delay()) : response;
                    }
                },
                false);
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = server.createClient();
        Crds.all().forEach(crd -> client.resource(crd).create());
        String url = "http://127.0.0.1:" + server.getPort();
        return new InMemoryKubeApi(server, client, url, fixed, delayed);
    }

    private static final int FOREVER = -1;

    /** A fixed answer, for ever ({@code remaining} {@link #FOREVER}) or for so many requests. */
    private record Fixed(int code, String body, AtomicInteger remaining) {
        boolean take() {
            return remaining.get() == FOREVER || remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }

        /** A fresh response each time: a response's body buffer is consumed by sending it. */
        MockResponse response() {
            return new MockResponse()
                    .setResponseCode(code)
                    .setHeader("Content-Type", "application/json")
                    .setBody(body);
        }
    }

    /**
     * Answers {@code method path} always with {@code body}: for the requests the in-memory API has
     * no store for (access reviews, say), answered as the test's cluster would.
     */
    public void respond(String method, String path, int code, Object body) {
        respond(method, path, code, body, FOREVER);
    }

    /**
     * Answers the next {@code times} requests {@code method path} with {@code body} instead of the
     * store (an overloaded or restarting API server, say); {@code body} a String is sent as is.
     */
    public void respond(String method, String path, int code, Object body, int times) {
        fixed.put(
                method + " " + path,
                new Fixed(
                        code,
                        body instanceof String text ? text : Serialization.asJson(body),
                        new AtomicInteger(times)));
    }

    /** An answer held back, for so many requests. */
    private record Delayed(java.time.Duration delay, AtomicInteger remaining) {
        boolean take() {
            return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
    }

    /**
     * Holds back the answer to the next {@code times} requests {@code method path} for {@code
     * delay} (the request itself takes effect at once): a slow API server, for tests that a caller
     * does not wait for it.
     */
    public void delay(String method, String path, java.time.Duration delay, int times) {
        delayed.put(method + " " + path, new Delayed(delay, new AtomicInteger(times)));
    }

    /**
     * Makes this the cluster of every Fabric8 client built from defaults in this JVM (system
     * properties), for a service under test that builds its own client at start-up.
     */
    public InMemoryKubeApi asDefaultCluster(String namespace) {
        System.setProperty("kubernetes.master", url);
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.namespace", namespace);
        return this;
    }

    /** The next request the server received (its log, oldest first), or null after {@code timeout}. */
    public RecordedRequest takeRequest(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        return server.takeRequest(timeout, unit);
    }

    public String url() {
        return url;
    }

    /**
     * Runs {@code calls} VoiceCalls' writes through the server in {@code namespace} — create, a
     * status and a label merge patch, a read, a delete — with a watch open, and waits for every
     * event. This server runs in the test's JVM and compiles its request and watch code on first
     * use, as no cluster's long-running API server has to; a benchmark warms it before it starts the
     * services so that its first call measures the services' cold start, not the harness's. Use a
     * namespace no service watches.
     */
    public void warmUp(String namespace, int calls) {
        var resource = client.resources(VoiceCall.class).inNamespace(namespace);
        var deleted = new CountDownLatch(calls);
        try (Watch watch = resource.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, VoiceCall call) {
                if (action == Action.DELETED) {
                    deleted.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            for (int i = 0; i < calls; i++) {
                String name = "warm-up-" + i;
                var call = new VoiceCall();
                call.getMetadata().setName(name);
                call.getMetadata().setNamespace(namespace);
                call.setSpec(new VoiceCallSpec());
                resource.resource(call).create();
                resource.withName(name)
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Assigned\"}}");
                resource.withName(name)
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                "{\"metadata\":{\"labels\":{\"" + Labels.WORKER + "\":\"warm-up\"}}}");
                resource.withName(name).get();
                resource.withName(name).delete();
            }
            if (!deleted.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "the API server's warm-up saw " + (calls - deleted.getCount()) + " of " + calls + " deletions");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming the API server", e);
        }
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

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
