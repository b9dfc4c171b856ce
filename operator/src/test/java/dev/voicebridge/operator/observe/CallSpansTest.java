package dev.voicebridge.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.operator.whatsapp.CallAction;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallSpansTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    final CallSpans spans = new CallSpans(provider.get("test"), Duration.ofSeconds(70));

    @AfterEach
    void close() {
        provider.close();
    }

    static VoiceCall call(String name, String traceparent) {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid." + name);
        spec.setCaller("447700900123");
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("calls")
                .withAnnotations(traceparent == null ? null : Map.of(Labels.TRACEPARENT_ANNOTATION, traceparent))
                .build());
        return call;
    }

    SpanData only() {
        assertThat(exporter.getFinishedSpanItems()).hasSize(1);
        return exporter.getFinishedSpanItems().get(0);
    }

    @Test
    void theAssignmentSpanIsAChildOfTheAnnotationAndLastsFromTheFirstSightingToThePlacement() {
        VoiceCall call = call("vc-a", "00-" + TRACE + "-" + PARENT + "-01");
        spans.pending(call, T0);
        spans.pending(call, T0.plusMillis(200)); // a placement retry: the wait started earlier
        spans.assigned(call, "worker-a", 1, T0.minusSeconds(1), T0.plusMillis(450));

        SpanData span = only();
        assertThat(span.getName()).isEqualTo("assignment");
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT);
        assertThat(span.getParentSpanContext().isRemote()).isTrue();
        assertThat(Duration.ofNanos(span.getEndEpochNanos() - span.getStartEpochNanos()))
                .isEqualTo(Duration.ofMillis(450));
        assertThat(span.getAttributes().get(CallSpans.WORKER)).isEqualTo("worker-a");
        assertThat(span.getAttributes().get(CallSpans.OUTCOME)).isEqualTo("Assigned");
        assertThat(span.getAttributes().get(CallSpans.CALL)).isEqualTo("vc-a");
    }

    @Test
    void aSecondPendingSpellStartsAfresh() {
        VoiceCall call = call("vc-b", null);
        spans.pending(call, T0);
        spans.assigned(call, "worker-a", 1, T0, T0.plusMillis(100));
        // Replaced later: the stale sighting must not stretch the second span back to T0.
        spans.pending(call, T0.plusSeconds(30));
        spans.assigned(call, "worker-b", 2, T0, T0.plusSeconds(31));
        var second = exporter.getFinishedSpanItems().get(1);
        assertThat(Duration.ofNanos(second.getEndEpochNanos() - second.getStartEpochNanos()))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(second.getAttributes().get(CallSpans.PLACEMENT_ATTEMPT)).isEqualTo(2L);
    }

    @Test
    void withoutASightingTheRecordedPendingSinceStandsIn() {
        VoiceCall call = call("vc-c", null);
        spans.notAssigned(call, EndReason.NoCapacity.name(), true, T0, T0.plusSeconds(10));
        SpanData span = only();
        assertThat(span.getAttributes().get(CallSpans.OUTCOME)).isEqualTo("NoCapacity");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(Duration.ofNanos(span.getEndEpochNanos() - span.getStartEpochNanos()))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void missingOrMalformedTraceContextGivesWellFormedRootSpans() {
        for (String annotation : new String[] {null, "garbage", "00-" + TRACE + "-0000000000000000-01"}) {
            exporter.reset();
            spans.assigned(call("vc-d", annotation), "worker-a", 1, T0, T0.plusMillis(5));
            SpanData span = only();
            assertThat(span.getSpanContext().isValid()).as(annotation).isTrue();
            assertThat(span.getParentSpanId()).as(annotation).isEqualTo(SpanId.getInvalid());
            assertThat(span.getTraceId()).as(annotation).isNotEqualTo(TRACE);
        }
    }

    @Test
    void aGraphFailureCarriesItsCodeButNeverGraphsFreeText() {
        var failure = new GraphOutcome.Failure(
                400,
                138006L,
                "No call permission for +447700900123 from 10.1.2.3",
                "details 447700900123",
                "AbCdEf",
                false,
                EndReason.WhatsAppError);
        spans.graphRequest(
                call("vc-e", "00-" + TRACE + "-" + PARENT + "-01"),
                CallAction.PRE_ACCEPT,
                3,
                T0,
                T0.plusMillis(80),
                failure,
                false);
        SpanData span = only();
        assertThat(span.getName()).isEqualTo("graph.pre_accept");
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getAttributes().get(CallSpans.HTTP_STATUS)).isEqualTo(400L);
        assertThat(span.getAttributes().get(CallSpans.WHATSAPP_ERROR)).isEqualTo(138006L);
        assertThat(span.getAttributes().get(CallSpans.GRAPH_ATTEMPT)).isEqualTo(3L);
        assertThat(span.getAttributes().get(CallSpans.OUTCOME)).isEqualTo("failed");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("Graph error 138006: no call permission from the user");
        assertThat(span.toString()).doesNotContain("7700900123", "10.1.2.3", "AbCdEf");
    }

    @Test
    void staleSightingsOfCallsDeletedWhilePendingAreDropped() {
        spans.pending(call("vc-gone", null), T0);
        spans.pending(call("vc-new", null), T0.plusSeconds(71));
        VoiceCall gone = call("vc-gone", null);
        spans.assigned(gone, "worker-a", 1, T0.plusSeconds(80), T0.plusSeconds(81));
        // The sighting was dropped, so the recorded pendingSince is used, not T0.
        SpanData span = only();
        assertThat(Duration.ofNanos(span.getEndEpochNanos() - span.getStartEpochNanos()))
                .isEqualTo(Duration.ofSeconds(1));
    }
}
