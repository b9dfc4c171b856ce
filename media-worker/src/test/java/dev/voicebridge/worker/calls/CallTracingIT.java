package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.telemetry.CallTrace;
import dev.voicebridge.worker.telemetry.WorkerMetrics;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.microprofile.metrics.RegistryFactory;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One call's trace as the worker really makes it: the Kubernetes side (the in-memory Kubernetes API), the production
 * call engine (ICE, DTLS-SRTP, pipeline, embedded agent) and the synthetic phone over the test
 * namespace's veth pair, with spans collected in memory.
 */
@ExtendWith(KubeApiExtension.class)
@Timeout(60)
class CallTracingIT {
    /** What the signaling service writes: its server span, sampled. */
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    static final String SIGNALING_SPAN = "00f067aa0ba902b7";

    KubernetesClient client;
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    WorkerTelemetry telemetry;
    RealWorker worker;
    MetricRegistry registry = RegistryFactory.getInstance().getRegistry("call-tracing-it-" + UUID.randomUUID());
    WorkerMetrics metrics = new WorkerMetrics(registry);

    @BeforeEach
    void start() throws Exception {
        telemetry = WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(spans));
        worker = new RealWorker(client, telemetry, metrics::agentObserver);
        worker.assigned.onFinalMedia(metrics::callEnded);
        worker.assigned.start();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        telemetry.close();
    }

    @Test
    void theCallsSpansJoinTheSignalingTraceAndCarryTheEndReason() throws Exception {
        String callId = "wacid.traced";
        runCall(callId, "00-" + TRACE_ID + "-" + SIGNALING_SPAN + "-01", EndReason.ApiHangup, 2);

        List<SpanData> trace = spans.getFinishedSpanItems();
        assertThat(trace).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE_ID));
        SpanData call = only(trace, "call");
        assertThat(call.getParentSpanId()).isEqualTo(SIGNALING_SPAN);
        assertThat(call.getParentSpanContext().isRemote()).isTrue();
        assertThat(call.getAttributes().get(CallTrace.CALL_NAME)).isEqualTo(CallNames.forCallId(callId));
        assertThat(call.getAttributes().get(CallTrace.END_REASON)).isEqualTo("ApiHangup");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertPhasesUnder(call, trace, 2);
        // The second turn answered the caller's speech: its latency is on it.
        assertThat(named(trace, "agent.turn"))
                .anySatisfy(turn -> assertThat(turn.getAttributes().get(CallTrace.RESPONSE_LATENCY_MS))
                        .isNotNull()
                        .isNotNegative());

        // The worker's metrics saw the same turns as the trace, and the call's media once.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    List<SpanData> turns = named(spans.getFinishedSpanItems(), "agent.turn");
                    long answered = turns.stream()
                            .filter(t -> t.getAttributes().get(CallTrace.RESPONSE_LATENCY_MS) != null)
                            .count();
                    long responses = registry
                            .getCounters((id, m) -> id.getName().equals("voicebridge.worker.agent.responses"))
                            .values()
                            .stream()
                            .mapToLong(Counter::getCount)
                            .sum();
                    assertThat(responses).isEqualTo(turns.size());
                    assertThat(registry.timer("voicebridge.worker.agent.response.latency")
                                    .getCount())
                            .isEqualTo(answered)
                            .isPositive();
                });
        assertThat(registry.timer("voicebridge.worker.media.concealed").getCount())
                .isEqualTo(1);
        assertThat(registry.counter("voicebridge.worker.media.packets.received").getCount())
                .isPositive()
                .isGreaterThanOrEqualTo(get(callId).getStatus().getMedia().getPacketsIn());
    }

    @Test
    void aCallWithoutTraceparentStillGetsAWellFormedTrace() throws Exception {
        runCall("wacid.untraced", null, EndReason.CallerHangup, 1);

        List<SpanData> trace = spans.getFinishedSpanItems();
        SpanData call = only(trace, "call");
        assertThat(call.getParentSpanContext().isValid()).isFalse();
        assertThat(call.getTraceId()).isNotEqualTo(TRACE_ID).matches("[0-9a-f]{32}");
        assertThat(trace).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(call.getTraceId()));
        assertThat(call.getAttributes().get(CallTrace.END_REASON)).isEqualTo("CallerHangup");
        assertPhasesUnder(call, trace, 1);
    }

    /** A call in API mode (media starts once the client confirms its accept), greeted, spoken to, then hung up. */
    private void runCall(String callId, String traceparent, EndReason reason, int turns) throws Exception {
        short[] speech = Signals.tone(500, 1.0, 6000);
        try (SyntheticPhone phone = worker.phones.newPhone(
                new InetSocketAddress(TestNetwork.PHONE, 0),
                PhoneOptions.defaults().withSource(PcmSource.of(speech)))) {
            worker.create(
                    callId,
                    AcceptBy.caller,
                    phone.offer(),
                    traceparent == null ? Map.of() : Map.of(Labels.TRACEPARENT_ANNOTATION, traceparent));
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> get(callId).getStatus().getMedia().getSdpAnswer() != null);
            phone.acceptAnswer(get(callId).getStatus().getMedia().getSdpAnswer());
            assertThat(phone.awaitConnected(Duration.ofSeconds(15))).isTrue();
            // The client confirms its accept with WhatsApp (the call API sets the annotation).
            worker.accepted(callId, AcceptBy.caller);
            // The greeting is the first turn, the answer to the caller's speech the second.
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            named(spans.getFinishedSpanItems(), "agent.turn").size() >= turns);

            worker.hangUp(callId, reason);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> named(spans.getFinishedSpanItems(), "call").size() == 1);
        }
    }

    private static void assertPhasesUnder(SpanData call, List<SpanData> trace, int turns) {
        for (String phase : List.of("answer", "ice", "dtls", "accept", "model.connect")) {
            SpanData span = only(trace, phase);
            assertThat(span.getParentSpanId()).as(phase).isEqualTo(call.getSpanId());
            assertThat(span.getStatus().getStatusCode()).as(phase).isEqualTo(StatusCode.UNSET);
            assertThat(span.getStartEpochNanos()).as(phase).isGreaterThanOrEqualTo(call.getStartEpochNanos());
            assertThat(span.getEndEpochNanos()).as(phase).isGreaterThanOrEqualTo(span.getStartEpochNanos());
        }
        assertThat(only(trace, "ice").getAttributes().get(CallTrace.ICE_CONNECT_MS))
                .isNotNull()
                .isNotNegative();
        assertThat(only(trace, "dtls").getAttributes().get(CallTrace.DTLS_HANDSHAKE_MS))
                .isNotNull()
                .isNotNegative();
        // The transport comes up after the answer is built, and ICE before DTLS.
        assertThat(only(trace, "ice").getStartEpochNanos())
                .isGreaterThanOrEqualTo(only(trace, "answer").getEndEpochNanos());
        assertThat(only(trace, "dtls").getStartEpochNanos())
                .isGreaterThanOrEqualTo(only(trace, "ice").getEndEpochNanos());
        assertThat(named(trace, "agent.turn"))
                .hasSizeGreaterThanOrEqualTo(turns)
                .allSatisfy(turn -> {
                    assertThat(turn.getParentSpanId()).isEqualTo(call.getSpanId());
                    assertThat(turn.getAttributes().get(CallTrace.RESPONSE_STATUS))
                            .isEqualTo("completed");
                });
        // Every span of the call, and nothing that names the phone or an address.
        assertThat(trace).allSatisfy(s -> s.getAttributes().forEach((key, value) -> assertThat(String.valueOf(value))
                .as(key.getKey())
                .doesNotContain(TestNetwork.PHONE)
                .doesNotContain(TestNetwork.WORKER)));
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).toList();
    }

    private static SpanData only(List<SpanData> spans, String name) {
        var found = named(spans, name);
        assertThat(found).as("spans named " + name).hasSize(1);
        return found.getFirst();
    }

    private VoiceCall get(String callId) {
        return worker.get(callId);
    }
}
