package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.operator.observe.CallSpans;
import dev.voicebridge.testkit.graph.GraphFault;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's spans for real call flows: children of the traceparent signaling wrote on the
 * VoiceCall, one per placement and per Graph request that went out, none for replayed steps.
 */
@ExtendWith(KubeApiExtension.class)
class TracingIT {
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String PARENT = "b7ad6b7169203331";
    static final Map<String, String> TRACED =
            Map.of(Labels.TRACEPARENT_ANNOTATION, "00-" + TRACE + "-" + PARENT + "-01");

    KubernetesClient client;
    OperatorHarness h;
    InMemorySpanExporter exporter;
    OpenTelemetrySdk telemetry;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
        exporter = InMemorySpanExporter.create();
        telemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
    }

    @AfterEach
    void stop() {
        h.close();
        telemetry.close();
    }

    List<SpanData> spansOf(String callId) {
        String name = CallNames.forCallId(callId);
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> name.equals(s.getAttributes().get(CallSpans.CALL)))
                .toList();
    }

    static String summary(SpanData span) {
        var a = span.getAttributes();
        return span.getName() + " attempt=" + a.get(CallSpans.GRAPH_ATTEMPT) + " status="
                + a.get(CallSpans.HTTP_STATUS) + " code=" + a.get(CallSpans.WHATSAPP_ERROR) + " outcome="
                + a.get(CallSpans.OUTCOME);
    }

    @Test
    void aTracedCallsAssignmentAndGraphRequestsJoinItsTrace() {
        h.worker("worker-a", 10, true);
        h.start(Map.of(), telemetry);
        h.graph.failNext("pre_accept", 1, new GraphFault.ServerError(502));
        h.call("wacid.traced", AcceptBy.bridge, null, TRACED);
        h.await("wacid.traced", c -> worker(c) != null);
        h.answer("wacid.traced");
        h.await("wacid.traced", FailuresIT::preAccepted);
        h.dtlsConnected("wacid.traced");
        h.awaitPhase("wacid.traced", CallPhase.Connected);

        // A restarted operator replays the recorded steps from status: no second span for any
        // (the exact list at the end is the full check; this one is early and may be optimistic).
        int before = exporter.getFinishedSpanItems().size();
        h.stopOperator();
        var restarted = h.start(Map.of(), telemetry);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> restarted.metrics().reconciliations() > 0);
        assertThat(exporter.getFinishedSpanItems()).hasSize(before);

        h.workerEnds("wacid.traced", EndReason.AgentHangup);
        h.await(
                "wacid.traced",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> spansOf("wacid.traced").size() == 5);

        List<SpanData> spans = spansOf("wacid.traced");
        assertThat(spans)
                .extracting(TracingIT::summary)
                .containsExactly(
                        "assignment attempt=null status=null code=null outcome=Assigned",
                        "graph.pre_accept attempt=1 status=502 code=1 outcome=retry",
                        "graph.pre_accept attempt=2 status=200 code=null outcome=success",
                        "graph.accept attempt=1 status=200 code=null outcome=success",
                        "graph.terminate attempt=1 status=200 code=null outcome=success");
        assertThat(spans).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(TRACE);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT);
            assertThat(span.getAttributes().get(CallSpans.NAMESPACE)).isEqualTo(OperatorHarness.NAMESPACE);
        });
        SpanData assignment = spans.get(0);
        assertThat(assignment.getAttributes().get(CallSpans.WORKER)).isEqualTo("worker-a");
        assertThat(assignment.getAttributes().get(CallSpans.PLACEMENT_ATTEMPT)).isEqualTo(1L);
        assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(spans.get(2).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertNothingPrivate(spans);
    }

    @Test
    void aCallNoWorkerTookGetsAFailedAssignmentAndItsRejectInTheTrace() {
        h.worker("worker-a", 10, false);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_PENDING_TIMEOUT, "1s"), telemetry);
        h.call("wacid.nocap", AcceptBy.bridge, null, TRACED);
        h.await(
                "wacid.nocap",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject() != null
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> spansOf("wacid.nocap").size() == 2);

        List<SpanData> spans = spansOf("wacid.nocap");
        assertThat(spans)
                .extracting(TracingIT::summary)
                .containsExactly(
                        "assignment attempt=null status=null code=null outcome=NoCapacity",
                        "graph.reject attempt=1 status=200 code=null outcome=success");
        SpanData assignment = spans.get(0);
        assertThat(assignment.getAttributes().get(CallSpans.WORKER)).isNull();
        assertThat(assignment.getAttributes().get(CallSpans.WAITED_FOR)).isEqualTo("NoReadyWorker");
        assertThat(assignment.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        // From the operator's first look to the end; the timeout itself counts from the creation
        // timestamp (second precision), so the span can be shorter than the 1 s timeout.
        assertThat(Duration.ofNanos(assignment.getEndEpochNanos() - assignment.getStartEpochNanos()))
                .isBetween(Duration.ofMillis(1), Duration.ofSeconds(10));
        assertThat(spans).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(TRACE);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT);
        });
        assertNothingPrivate(spans);
    }

    @Test
    void aCallWithoutTraceContextStillGetsWellFormedSpans() {
        h.worker("worker-a", 10, true);
        h.start(Map.of(), telemetry);
        h.graph.failNext("accept", 1, new GraphFault.GraphErrorCode(400, 138002, "Concurrent call limit"));
        h.call("wacid.untraced", AcceptBy.bridge);
        h.await("wacid.untraced", c -> worker(c) != null);
        h.answer("wacid.untraced");
        h.await("wacid.untraced", FailuresIT::preAccepted);
        h.dtlsConnected("wacid.untraced");
        h.await(
                "wacid.untraced",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject() != null
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> spansOf("wacid.untraced").size() == 4);

        List<SpanData> spans = spansOf("wacid.untraced");
        assertThat(spans)
                .extracting(TracingIT::summary)
                .containsExactly(
                        "assignment attempt=null status=null code=null outcome=Assigned",
                        "graph.pre_accept attempt=1 status=200 code=null outcome=success",
                        "graph.accept attempt=1 status=400 code=138002 outcome=failed",
                        // A first-attempt refusal proves the call still rings: reject, not terminate.
                        "graph.reject attempt=1 status=200 code=null outcome=success");
        assertThat(spans).allSatisfy(span -> {
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getParentSpanId()).isEqualTo(SpanId.getInvalid());
            assertThat(span.getTraceId()).isNotEqualTo(TRACE);
        });
        assertThat(spans.get(2).getStatus().getDescription())
                .isEqualTo("Graph error 138002: concurrent call limit reached");
        assertNothingPrivate(spans);
    }

    /** No phone number (caller or business), token, call id or address in any attribute or status. */
    static void assertNothingPrivate(List<SpanData> spans) {
        for (SpanData span : spans) {
            String text = span.getAttributes() + " " + span.getStatus() + " " + span.getName();
            assertThat(text)
                    .as(span.getName())
                    .doesNotContain(
                            "7700900123",
                            OperatorHarness.PHONE,
                            OperatorHarness.TOKEN,
                            "wacid.",
                            "127.0.0.1",
                            "Concurrent call limit",
                            "ice-pwd");
        }
    }
}
