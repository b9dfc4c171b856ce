package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.agent.AgentObserver.AgentTurn;
import dev.voicebridge.worker.model.TokenUsage;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans one call's events make: names, parenting, timing, status and attributes. */
class CallTraceTest {
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String PARENT = "b7ad6b7169203331";
    /** Just after the call span starts (its start is the real clock). */
    final Instant t0 = Instant.now().plusMillis(1);

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final WorkerTelemetry telemetry = WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(exporter));

    @AfterEach
    void close() {
        telemetry.close();
    }

    @Test
    void aConnectedCallRecordsEveryPhaseUnderTheCallSpan() {
        var trace = telemetry.calls().begin("vc-3f2a", "bridge", "00-" + TRACE_ID + "-" + PARENT + "-01");
        trace.answer(t0, t0.plusMillis(3), null);
        trace.iceStarted(t0.plusMillis(5));
        trace.answerWritten(t0.plusMillis(12));
        trace.modelConnected(System.nanoTime() - 40_000_000L, System.nanoTime(), false);
        trace.transportUp(120, 35, t0.plusMillis(170));
        trace.accepted(t0.plusMillis(400));
        long now = System.nanoTime();
        trace.turn(
                new AgentTurn(now - 900_000_000L, now, 640, "completed", new TokenUsage(120, 80, 0, 0, 0, 0, 0, 0, 0)));
        trace.ended(EndReason.CallerHangup, t0.plusSeconds(30));

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans)
                .extracting(SpanData::getName)
                .containsExactlyInAnyOrder("answer", "model.connect", "ice", "dtls", "accept", "agent.turn", "call");
        assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE_ID));
        SpanData call = span("call");
        assertThat(call.getParentSpanId()).isEqualTo(PARENT);
        assertThat(call.getAttributes().get(CallTrace.CALL_NAME)).isEqualTo("vc-3f2a");
        assertThat(call.getAttributes().get(CallTrace.ACCEPT_BY)).isEqualTo("bridge");
        assertThat(call.getAttributes().get(CallTrace.END_REASON)).isEqualTo("CallerHangup");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(call.getEndEpochNanos()).isEqualTo(nanos(t0.plusSeconds(30)));
        assertThat(spans).filteredOn(s -> !s.getName().equals("call")).allSatisfy(s -> assertThat(s.getParentSpanId())
                .isEqualTo(call.getSpanId()));

        // ICE ran from its start for 120 ms; DTLS is the 35 ms that ended at "connected".
        assertThat(span("ice").getStartEpochNanos()).isEqualTo(nanos(t0.plusMillis(5)));
        assertThat(span("ice").getEndEpochNanos()).isEqualTo(nanos(t0.plusMillis(125)));
        assertThat(span("ice").getAttributes().get(CallTrace.ICE_CONNECT_MS)).isEqualTo(120L);
        assertThat(span("dtls").getStartEpochNanos()).isEqualTo(nanos(t0.plusMillis(135)));
        assertThat(span("dtls").getEndEpochNanos()).isEqualTo(nanos(t0.plusMillis(170)));
        assertThat(span("accept").getStartEpochNanos()).isEqualTo(nanos(t0.plusMillis(12)));
        assertThat(span("accept").getEndEpochNanos()).isEqualTo(nanos(t0.plusMillis(400)));
        assertThat(span("model.connect").getAttributes().get(CallTrace.MODEL_RECONNECT))
                .isFalse();
        var turn = span("agent.turn");
        assertThat(turn.getAttributes().get(CallTrace.RESPONSE_LATENCY_MS)).isEqualTo(640L);
        assertThat(turn.getAttributes().get(CallTrace.OUTPUT_TOKENS)).isEqualTo(80L);
        assertThat(turn.getEndEpochNanos() - turn.getStartEpochNanos()).isBetween(899_000_000L, 901_000_000L);
    }

    @Test
    void iceFailureEndsTheIcePhaseInErrorAndTheCallFailed() {
        var trace = telemetry.calls().begin("vc-ice", "bridge", null);
        trace.answer(t0, t0.plusMillis(2), null);
        trace.iceStarted(t0.plusMillis(3));
        trace.answerWritten(t0.plusMillis(10));
        trace.transportEnded(-1, t0.plusSeconds(5), EndReason.IceFailed);
        trace.ended(EndReason.IceFailed, t0.plusSeconds(5));

        assertThat(exporter.getFinishedSpanItems())
                .extracting(SpanData::getName)
                .doesNotContain("dtls");
        assertThat(span("ice").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span("ice").getStatus().getDescription()).isEqualTo("IceFailed");
        assertThat(span("ice").getEndEpochNanos()).isEqualTo(nanos(t0.plusSeconds(5)));
        // Never accepted: the accept phase ends with the call, in error.
        assertThat(span("accept").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span("call").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span("call").getAttributes().get(CallTrace.END_REASON)).isEqualTo("IceFailed");
        // No annotation: a root of its own.
        assertThat(span("call").getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void dtlsFailureKeepsIceSuccessfulAndFailsDtls() {
        var trace = telemetry.calls().begin("vc-dtls", "bridge", null);
        trace.iceStarted(t0);
        trace.transportEnded(80, t0.plusSeconds(2), EndReason.DtlsFailed);
        trace.transportUp(80, 20, t0.plusSeconds(3)); // late and contradictory: ignored
        trace.ended(EndReason.DtlsFailed, t0.plusSeconds(2));

        assertThat(span("ice").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span("ice").getEndEpochNanos()).isEqualTo(nanos(t0.plusMillis(80)));
        assertThat(span("dtls").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span("dtls").getStartEpochNanos()).isEqualTo(nanos(t0.plusMillis(80)));
    }

    @Test
    void aMalformedTraceparentStartsANewTrace() {
        var trace = telemetry.calls().begin("vc-bad", null, "00-not-a-trace-01");
        trace.ended(EndReason.ApiHangup, t0);

        SpanData call = span("call");
        assertThat(call.getParentSpanContext().isValid()).isFalse();
        assertThat(call.getSpanContext().isValid()).isTrue();
        assertThat(call.getAttributes().get(CallTrace.ACCEPT_BY)).isNull();
    }

    @Test
    void anUnsampledSignalingTraceIsNotExported() {
        var trace = telemetry.calls().begin("vc-quiet", "bridge", "00-" + TRACE_ID + "-" + PARENT + "-00");
        trace.answer(t0, t0.plusMillis(1), null);
        trace.ended(EndReason.CallerHangup, t0.plusSeconds(1));

        assertThat(trace.context().getTraceId()).isEqualTo(TRACE_ID);
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void endingTwiceRecordsOneCallSpanWithTheFirstReason() {
        var trace = telemetry.calls().begin("vc-twice", "caller", null);
        trace.ended(EndReason.AgentHangup, t0);
        trace.ended(EndReason.WorkerShutdown, t0.plusSeconds(1));

        assertThat(exporter.getFinishedSpanItems()).hasSize(1);
        assertThat(span("call").getAttributes().get(CallTrace.END_REASON)).isEqualTo("AgentHangup");
    }

    private SpanData span(String name) {
        var found = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
        assertThat(found).as("spans named " + name).hasSize(1);
        return found.getFirst();
    }

    private static long nanos(Instant at) {
        return TimeUnit.SECONDS.toNanos(at.getEpochSecond()) + at.getNano();
    }
}
