package dev.voicebridge.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.http.RawHttp;
import dev.voicebridge.testkit.kube.ExampleShapes;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.net.SlowClients;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole worker as it runs in production (CDI runtime, configuration, Kubernetes informer,
 * media engine, embedded agent) against the in-memory Kubernetes API, called by the synthetic phone
 * over the test namespace's veth pair.
 */
@HelidonTest
@AddConfig(key = "server.host", value = "127.0.0.1")
@AddConfig(key = "voicebridge.worker.pod-name", value = "media-worker-7")
@AddConfig(key = "voicebridge.worker.namespace", value = WorkerRuntimeIT.NS)
@AddConfig(key = "voicebridge.worker.stats-interval", value = "PT1S")
@AddConfig(key = "voicebridge.media.bind-address", value = WorkerRuntimeIT.WORKER)
@AddConfig(key = "voicebridge.media.port", value = "0")
@AddConfig(key = "server.connection-options.read-timeout", value = "PT3S")
@Timeout(120)
class WorkerRuntimeIT {
    static final String NS = "calls";
    static final String WORKER = TestNetwork.WORKER;
    static final String PHONE = TestNetwork.PHONE;
    /** Started before the CDI container, which reads the API server's address at start-up. */
    static final InMemoryKubeApi API = InMemoryKubeApi.start(0).asDefaultCluster(NS);

    static KubernetesClient client;
    static PhoneHost phones;

    @Inject
    WebTarget target;

    @Inject
    WorkerState state;

    @BeforeAll
    static void install() throws Exception {
        TestNetwork.requireNamespace();
        client = API.client();
        var agent = new VoiceAgent(new VoiceAgentSpec());
        agent.setMetadata(
                new ObjectMetaBuilder().withName("default").withNamespace(NS).build());
        client.resource(agent).create();
        phones = PhoneHost.start();
    }

    @AfterAll
    static void stop() {
        if (phones != null) {
            phones.close();
        }
        API.close();
    }

    VoiceCall call(String callId) {
        return resource(callId).get();
    }

    Resource<VoiceCall> resource(String callId) {
        return client.resources(VoiceCall.class).inNamespace(NS).withName(CallNames.forCallId(callId));
    }

    @Test
    void answersItsCallConnectsTheMediaAndEndsOnHangup() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(state::isReady);
        var ready = target.path("/health/ready").request().get();
        assertThat(ready.getStatus()).isEqualTo(200);
        String data = ready.readEntity(JsonObject.class).toString();
        assertThat(data).contains("media-worker-7");
        // Ready only after a whole call went through the engine: the first real call finds the
        // ICE, DTLS, SRTP and codec paths loaded and run.
        assertThat(state.warmUp()).startsWith("ICE ").contains("20 frames there and back");
        assertThat(data).contains("\"warmUp\":\"ICE ");

        short[] speech = Signals.tone(500, 1.0, 6000);
        try (SyntheticPhone phone = phones.newPhone(
                new InetSocketAddress(PHONE, 0), PhoneOptions.defaults().withSource(PcmSource.of(speech)))) {
            String callId = "wacid.runtime-it";
            var spec = new VoiceCallSpec();
            spec.setCallId(callId);
            spec.setSource(CallSource.api);
            spec.setAcceptBy(AcceptBy.caller);
            spec.setAgentRef("default");
            spec.setSdpOffer(phone.offer());
            var resource = new VoiceCall(spec);
            resource.setMetadata(new ObjectMetaBuilder()
                    .withName(CallNames.forCallId(callId))
                    .withNamespace(NS)
                    .build());
            client.resource(resource).create();
            // Placed as the operator does: the assignment first, then the worker's label.
            var assignment = new Assignment();
            assignment.setWorker("media-worker-7");
            assignment.setAttempt(1);
            var placed = new VoiceCall();
            placed.statusOrNew().setAssignment(assignment);
            resource(callId).patchStatus(placed);
            resource(callId)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"labels\":{\"" + Labels.WORKER + "\":\"media-worker-7\"}}}");

            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> call(callId).getStatus().getMedia().getSdpAnswer() != null);
            String answer = call(callId).getStatus().getMedia().getSdpAnswer();
            assertThat(answer)
                    .startsWith("v=0\r\n")
                    .contains("a=setup:active")
                    .contains(WORKER)
                    .endsWith("\r\n");
            phone.acceptAnswer(answer);
            assertThat(phone.awaitConnected(Duration.ofSeconds(15))).isTrue();

            // API mode: the client confirms its accept with WhatsApp (the call API sets this
            // annotation, a merge patch); media starts then, and its stats reach status.
            resource(callId)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + Labels.ACCEPTED_ANNOTATION
                                    + "\":\"2026-11-21T09:00:00Z\"}}}");
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var media = call(callId).getStatus().getMedia();
                assertThat(media.getDtlsState()).isEqualTo("Connected");
                assertThat(media.getPacketsIn()).isPositive();
                assertThat(media.getPacketsOut()).isPositive();
                assertThat(media.getSrtpProfile()).isNotBlank();
            });
            assertThat(call(callId).getStatus().getAgent().getModel()).isNotBlank();

            resource(callId)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"hangup\":{\"reason\":\"ApiHangup\"}}}");
            await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                var end = call(callId).getStatus().getEnd();
                assertThat(end.getReason()).isEqualTo(EndReason.ApiHangup);
                assertThat(end.getBy()).isEqualTo("media-worker/media-worker-7");
            });
            // The final status.media has exactly the fields the example shows, in its formats.
            var example = ExampleShapes.example(Path.of("..", "crds", "examples", "voicecall.yaml"), "/status/media");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var media = call(callId).getStatus().getMedia();
                assertThat(media.getDtlsState()).isEqualTo("Closed");
                assertThat(ExampleShapes.differences(example, media)).isEmpty();
            });
            String prometheus = target.path("/metrics").request().get(String.class);
            assertThat(prometheus)
                    .contains("voicebridge_worker_calls_active")
                    .containsPattern("voicebridge_worker_calls_ended_total\\{[^}]*reason=\"ApiHangup\"[^}]*} 1")
                    // The aggregates, in the Prometheus forms the chart's dashboard queries.
                    .containsPattern("(?m)^voicebridge_worker_media_packets_received_total(\\{[^}]*})? [1-9]")
                    .contains("voicebridge_worker_media_packets_lost_total")
                    .contains("voicebridge_worker_media_concealed_seconds_count")
                    .contains("voicebridge_worker_media_concealed_seconds_sum")
                    .contains("voicebridge_worker_media_jitter_buffer_max_seconds")
                    .contains("voicebridge_worker_agent_response_latency_seconds_count")
                    .contains("voicebridge_worker_agent_response_latency_seconds_sum")
                    .contains("voicebridge_worker_agent_response_latency_seconds_max")
                    .containsPattern("voicebridge_worker_agent_response_latency_seconds\\{[^}]*quantile=\"0.95\"")
                    .contains("voicebridge_worker_agent_interruptions_total")
                    .contains("voicebridge_worker_agent_cost_usd")
                    .contains("voicebridge_worker_agent_session_seconds")
                    .containsPattern("voicebridge_worker_agent_tokens_total\\{[^}]*kind=\"output_audio\"")
                    // The pacer ticked the call; the lateness series exist for every bound.
                    .containsPattern("(?m)^voicebridge_worker_pacer_ticks(\\{[^}]*})? [1-9]")
                    .contains("voicebridge_worker_pacer_ticks_skipped")
                    .containsPattern("voicebridge_worker_pacer_ticks_late\\{[^}]*over_ms=\"10\"")
                    .containsPattern("voicebridge_worker_pacer_ticks_late\\{[^}]*over_ms=\"50\"");
        }
    }

    /**
     * Slowloris against the worker's HTTP port: clients that connect and never finish a request
     * (silent, headers cut short, body cut short) do not stall readiness, which Kubernetes probes
     * (a virtual thread per connection, no pool to exhaust), and every one of them is dropped once
     * {@code server.connection-options.read-timeout} (here 3 s) has passed: a read that waits
     * longer fails, whether the client stopped before, inside or after its headers. Clients that
     * give up themselves (reset mid-request) and the dropped ones are logged as one line at most,
     * never with a stack trace (issue 11 finding 7).
     */
    @Test
    void slowClientsDoNotStallReadinessAndAreAllDroppedQuietly() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(state::isReady);
        var http =
                new InetSocketAddress(target.getUri().getHost(), target.getUri().getPort());
        var logs = new LogRecords();
        Logger.getLogger("").addHandler(logs);
        long start = System.nanoTime();
        try (var silent = SlowClients.hold(http, 4, SlowClients.Mode.SILENT, "/health/ready");
                var headers = SlowClients.hold(http, 4, SlowClients.Mode.PARTIAL_HEADERS, "/health/ready");
                var body = SlowClients.hold(http, 4, SlowClients.Mode.PARTIAL_BODY, "/health/ready");
                var metricsBody = SlowClients.hold(http, 4, SlowClients.Mode.PARTIAL_BODY, "/metrics");
                var probe = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()) {
            // Clients that give up half way: reset while the server waits for the rest.
            SlowClients.hold(http, 4, SlowClients.Mode.PARTIAL_HEADERS, "/metrics")
                    .reset();
            SlowClients.hold(http, 4, SlowClients.Mode.PARTIAL_BODY, "/health/live")
                    .reset();
            // As a kubelet probe would: a short timeout.
            var ready = HttpRequest.newBuilder(target.getUri().resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            for (int i = 0; i < 5; i++) {
                assertThat(probe.send(ready, HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
            }
            var held = List.of(silent, headers, body, metricsBody);
            // The read timeout is 3 s; the bound allows for a loaded machine, not for a missing timeout.
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(held.stream()
                                    .mapToLong(SlowClients::endedByServer)
                                    .sum())
                            .as("slow clients dropped by the server")
                            .isEqualTo(16));
            System.out.printf(
                    "slow clients: all 16 dropped after %d ms%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertThat(probe.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        } finally {
            Logger.getLogger("").removeHandler(logs);
        }
        assertThat(logs.stackTraces())
                .as("stack traces logged for slow or vanishing clients")
                .isEmpty();
        // One line per refusal or vanished client at most, and those rate-limited: 10 a minute per kind.
        assertThat(logs.atLeast(Level.INFO).stream()
                        .collect(Collectors.groupingBy(
                                line -> line.replaceAll(" status=.*", ""), Collectors.counting())))
                .as("lines logged for 24 misbehaving clients: %s", logs.atLeast(Level.INFO))
                .allSatisfy((kind, count) -> assertThat(count).as(kind).isLessThanOrEqualTo(10));
    }

    /** Every record logged while attached, from any logger. */
    static final class LogRecords extends Handler {
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogRecords() {
            setLevel(Level.ALL);
        }

        List<String> stackTraces() {
            return records.stream()
                    .filter(r -> r.getThrown() != null)
                    .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getThrown())
                    .toList();
        }

        List<String> atLeast(Level level) {
            return records.stream()
                    .filter(r -> r.getLevel().intValue() >= level.intValue())
                    .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage())
                    .toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /**
     * A request whose framing is hostile is refused at once with the documented problem, on every
     * endpoint: a negative Content-Length must not make the server wait for a body (Helidon 4.4
     * waits twice the read timeout, then answers 404).
     */
    @Test
    void hostileFramingIsRefusedAtOnceWithTheDocumentedProblem() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(state::isReady);
        var raw = new RawHttp(
                new InetSocketAddress(target.getUri().getHost(), target.getUri().getPort()));
        for (String path : List.of("/health/ready", "/health/live", "/metrics", "/nothing")) {
            for (String length : List.of("-5", "-1", "abc", "1e3")) {
                var reply = raw.send(
                        "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\nConnection: close",
                        new byte[0]);
                assertThat(reply.status())
                        .as("%s with Content-Length %s: %s", path, length, reply)
                        .isEqualTo(400);
                assertThat(reply.header("content-type")).isEqualTo("application/problem+json");
                assertThat(reply.body()).contains("\"code\":\"malformed-request\"");
            }
        }
    }

    /**
     * The HTTP port binds to {@code server.host} only (here 127.0.0.1; the chart sets the pod IP):
     * the worker's other address in the test namespace does not answer on it.
     */
    @Test
    void httpListensOnlyOnTheConfiguredHost() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(state::isReady);
        int port = target.getUri().getPort();
        try (var socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(WORKER, port), 2_000))
                    .isInstanceOf(ConnectException.class);
        }
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            assertThat(socket.isConnected()).isTrue();
        }
    }
}
