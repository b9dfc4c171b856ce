package dev.voicebridge.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.security.WebhookSignature;
import dev.voicebridge.testkit.http.RawHttp;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.helidon.microprofile.server.Server;
import java.io.IOException;
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
 * in-memory Kubernetes API (testkit's InMemoryKubeApi) with the generated CRDs installed. One per test class.
 */
public final class SignalingTestServer implements AutoCloseable {
    public static final String NAMESPACE = "calls";
    public static final String APP_SECRET = "test-app-secret";
    public static final String VERIFY_TOKEN = "test-verify-token";
    public static final String API_TOKEN = "test-api-token";
    public static final String PHONE_NUMBER_ID = "518638374672395";
    public static final String AGENT = "receptionist";
    /** A second agent, on its own phone-number id, for the scope tests. */
    public static final String SALES_AGENT = "sales";

    public static final String SALES_PHONE_NUMBER_ID = "518638374670000";

    /**
     * Named call-API clients every test server knows besides the legacy token's {@code default}
     * (see {@link #CLIENTS_FILE}): the receptionist's edge function, a read-only sales dashboard
     * and a bot for every agent on the sales number.
     */
    public static final String RECEPTION_TOKEN = "reception-edge-token-3a9f01";

    public static final String SALES_VIEWER_TOKEN = "sales-viewer-token-77c2e4";
    public static final String NUMBER_BOT_TOKEN = "number-bot-token-0be512";
    public static final String CLIENTS_FILE =
            """
            # the named clients of every test server
            clients:
              - name: reception-edge
                token: %s
                operations: [create, list, read, accept, hangup]
                agents: [receptionist]
                phoneNumberIds: ["*"]
              - name: sales-viewer
                tokenSha256: %s
                operations: [list, read]
                agents: [sales]
                phoneNumberIds: ["*"]
              - name: number-bot
                token: %s
                operations: ["*"]
                agents: ["*"]
                phoneNumberIds: ["%s"]
            """.formatted(RECEPTION_TOKEN, sha256Hex(SALES_VIEWER_TOKEN), NUMBER_BOT_TOKEN, SALES_PHONE_NUMBER_ID);

    private static String sha256Hex(String token) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final InMemoryKubeApi mock;
    private final KubernetesClient admin;
    private final Server server;
    private final Config config;
    private List<String> startupRequests = List.of();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SignalingTestServer(InMemoryKubeApi mock, KubernetesClient admin, Server server, Config config) {
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
        var mock = InMemoryKubeApi.start(0);
        var admin = mock.client();
        var agent = new VoiceAgent(new VoiceAgentSpec());
        agent.getSpec().setPhoneNumberIds(List.of(PHONE_NUMBER_ID));
        agent.setMetadata(
                new ObjectMetaBuilder().withName(AGENT).withNamespace(NAMESPACE).build());
        admin.resources(VoiceAgent.class).inNamespace(NAMESPACE).resource(agent).create();
        var sales = new VoiceAgent(new VoiceAgentSpec());
        sales.getSpec().setPhoneNumberIds(List.of(SALES_PHONE_NUMBER_ID));
        sales.setMetadata(new ObjectMetaBuilder()
                .withName(SALES_AGENT)
                .withNamespace(NAMESPACE)
                .build());
        admin.resources(VoiceAgent.class).inNamespace(NAMESPACE).resource(sales).create();
        var clientsFile = java.nio.file.Files.createTempFile("signaling-clients", ".yaml");
        clientsFile.toFile().deleteOnExit();
        java.nio.file.Files.writeString(clientsFile, CLIENTS_FILE);

        Map<String, String> values = new HashMap<>(Map.of(
                "server.port",
                "0",
                "server.host",
                "127.0.0.1",
                "voicebridge.namespace",
                NAMESPACE,
                "voicebridge.kubernetes.master-url",
                mock.url() + "/",
                "voicebridge.whatsapp.app-secret",
                APP_SECRET,
                "voicebridge.whatsapp.verify-token",
                VERIFY_TOKEN,
                "voicebridge.api.token",
                API_TOKEN,
                "voicebridge.api.answer-wait",
                "3s",
                "voicebridge.api.clients-file",
                clientsFile.toString()));
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

    public KubernetesClient kube() {
        return admin;
    }

    public InMemoryKubeApi mock() {
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

    public java.net.InetSocketAddress address() {
        return new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    }

    /** A client that sends exactly the bytes a test gives it (see {@link RawHttp}). */
    public RawHttp raw() {
        return new RawHttp(address());
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
        return bearer(API_TOKEN);
    }

    public static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    /** A VoiceCall as the webhook or the API would have created it, straight into the mock. */
    public VoiceCall createCall(String callId, String agent, String phoneNumberId) {
        var spec = new dev.voicebridge.api.v1alpha1.VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(dev.voicebridge.api.v1alpha1.CallSource.api);
        spec.setAgentRef(agent);
        spec.setPhoneNumberId(phoneNumberId);
        spec.setSdpOffer(Fixtures.read("whatsapp-offer.sdp"));
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(dev.voicebridge.api.CallNames.forCallId(callId))
                .withNamespace(NAMESPACE)
                .build());
        return admin.resources(VoiceCall.class).resource(call).create();
    }

    /**
     * Waits until the service's call cache (an informer, so it trails the API server) lists every
     * one of these calls. Lists are served from that cache; a test that lists right after
     * {@link #createCall} must wait for it, or it races the watch event.
     */
    public void awaitListed(String... callIds) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var response = get("/v1/calls?limit=200", bearer());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            var listed = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.body())
                    .path("items")
                    .findValuesAsText("callId");
            assertThat(listed).contains(callIds);
        });
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
        mock.close();
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
