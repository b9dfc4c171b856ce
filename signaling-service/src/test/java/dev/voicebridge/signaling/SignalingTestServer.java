package dev.voicebridge.signaling;

import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.security.WebhookSignature;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.helidon.microprofile.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The real service (Helidon MP, CDI, Jersey) on 127.0.0.1 with an ephemeral port, talking to the
 * Fabric8 CRUD mock API server with the generated CRDs installed. One per test class.
 */
public final class SignalingTestServer implements AutoCloseable {
    public static final String NAMESPACE = "calls";
    public static final String APP_SECRET = "test-app-secret";
    public static final String VERIFY_TOKEN = "test-verify-token";
    public static final String API_TOKEN = "test-api-token";
    public static final String PHONE_NUMBER_ID = "518638374672395";
    public static final String AGENT = "receptionist";

    private final KubernetesMockServer mock;
    private final KubernetesClient admin;
    private final Server server;
    private final Config config;
    private List<String> startupRequests = List.of();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SignalingTestServer(KubernetesMockServer mock, KubernetesClient admin, Server server, Config config) {
        this.mock = mock;
        this.admin = admin;
        this.server = server;
        this.config = config;
    }

    public static SignalingTestServer start(Map<String, String> overrides) throws Exception {
        return start(overrides, true);
    }

    /** With {@code awaitReady} false the caller may point the service at a dead API server. */
    public static SignalingTestServer start(Map<String, String> overrides, boolean awaitReady) throws Exception {
        var mock = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        mock.init(InetAddress.getByName("127.0.0.1"), 0);
        var admin = mock.createClient();
        for (String plural : List.of("voicecalls", "voiceagents")) {
            admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd(plural))
                    .create();
        }
        var agent = new VoiceAgent(new VoiceAgentSpec());
        agent.getSpec().setPhoneNumberIds(List.of(PHONE_NUMBER_ID));
        agent.setMetadata(
                new ObjectMetaBuilder().withName(AGENT).withNamespace(NAMESPACE).build());
        admin.resources(VoiceAgent.class).inNamespace(NAMESPACE).resource(agent).create();

        Map<String, String> values = new HashMap<>(Map.of(
                "server.port",
                "0",
                "server.host",
                "127.0.0.1",
                "voicebridge.namespace",
                NAMESPACE,
                "voicebridge.kubernetes.master-url",
                mock.url("/"),
                "voicebridge.whatsapp.app-secret",
                APP_SECRET,
                "voicebridge.whatsapp.verify-token",
                VERIFY_TOKEN,
                "voicebridge.api.token",
                API_TOKEN,
                "voicebridge.api.answer-wait-millis",
                "3000"));
        values.putAll(overrides);
        var resolver = ConfigProviderResolver.instance();
        Config config = resolver.getBuilder()
                .withSources(new MapSource(values))
                .addDefaultSources()
                .addDiscoveredSources()
                .build();
        resolver.registerConfig(config, Thread.currentThread().getContextClassLoader());
        Server server = Server.builder().config(config).build().start();
        var started = new SignalingTestServer(mock, admin, server, config);
        if (!awaitReady) {
            return started;
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var ready = started.get("/health/ready", Map.of());
            org.assertj.core.api.Assertions.assertThat(ready.statusCode())
                    .as("readiness: %s", ready.body())
                    .isEqualTo(200);
        });
        started.startupRequests = started.drainRequestPaths();
        return started;
    }

    /** Requests the mock saw while the service started (its informers' lists and watches). */
    public List<String> startupRequests() {
        return startupRequests;
    }

    static CustomResourceDefinition crd(String plural) {
        String path = "/META-INF/fabric8/" + plural + ".voicebridge.dev-v1.yml";
        try (InputStream in = SignalingTestServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("generated CRD missing from the classpath: " + path);
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient kube() {
        return admin;
    }

    public KubernetesMockServer mock() {
        return mock;
    }

    public VoiceCall call(String name) {
        return admin.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    public List<VoiceCall> calls() {
        return admin.resources(VoiceCall.class).inNamespace(NAMESPACE).list().getItems();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .GET();
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public HttpResponse<String> delete(String path, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .DELETE();
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** A webhook POST signed like Meta signs it. */
    public HttpResponse<String> webhook(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post(
                "/webhooks/whatsapp",
                body,
                Map.of(
                        "Content-Type",
                        "application/json",
                        "X-Hub-Signature-256",
                        WebhookSignature.headerFor(APP_SECRET, json)));
    }

    public Map<String, String> bearer() {
        return Map.of("Authorization", "Bearer " + API_TOKEN, "Content-Type", "application/json");
    }

    public HttpClient http() {
        return http;
    }

    /** Drains the mock's request log and returns the paths of the requests it received. */
    public List<String> drainRequestPaths() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = mock.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getMethod() + " " + request.getPath());
        }
        return paths;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        ConfigProviderResolver.instance().releaseConfig(config);
        admin.close();
        mock.destroy();
    }

    private record MapSource(Map<String, String> values) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String key) {
            return values.get(key);
        }

        @Override
        public String getName() {
            return "test-overrides";
        }

        @Override
        public int getOrdinal() {
            return 1000;
        }
    }
}
