package dev.voicebridge.api.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TelemetryTest {
    static final Map<String, String> NO_ENV = Map.of();

    @Test
    void nothingIsExportedWithoutAnEndpoint() {
        assertThat(Telemetry.defaults("svc", "", NO_ENV::get))
                .containsEntry("otel.traces.exporter", "none")
                .containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.logs.exporter", "none")
                .containsEntry("otel.service.name", "svc");
        assertThat(Telemetry.exporting(" ", NO_ENV::get)).isFalse();
    }

    /** Trace context must exist even when nothing is exported: it travels in the VoiceCall annotation. */
    @Test
    void spansHaveRealContextsWithoutAnEndpoint() {
        try (var sdk = Telemetry.create("svc", "", NO_ENV::get)) {
            var span = sdk.getTracer("test").spanBuilder("quiet").startSpan();
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getSpanContext().isSampled()).isTrue();
            span.end();
        }
    }

    /** The start-up warm-up runs spans on a provider of its own: the service's processors never see one. */
    @Test
    void theWarmUpsSpansReachNoProcessorOfTheService() {
        List<String> seen = new CopyOnWriteArrayList<>();
        SpanProcessor recording = new SpanProcessor() {
            @Override
            public void onStart(Context parent, ReadWriteSpan span) {
                seen.add("started " + span.getName());
            }

            @Override
            public boolean isStartRequired() {
                return true;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                seen.add("ended " + span.getName());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
        try (var sdk = Telemetry.create("svc", "", NO_ENV::get, Map.of(), recording)) {
            Telemetry.warmUp();
            assertThat(seen).isEmpty();
            sdk.getTracer("test").spanBuilder("real").startSpan().end();
            assertThat(seen).containsExactly("started real", "ended real");
        }
    }

    @Test
    void theServicesKeyOrAStandardVariableTurnsExportOnOverHttpProtobuf() {
        assertThat(Telemetry.defaults("svc", "http://collector:4318", NO_ENV::get))
                .containsEntry("otel.traces.exporter", "otlp")
                .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
        assertThat(Telemetry.exporting("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")::get))
                .isTrue();
        assertThat(Telemetry.exporting(
                        "", Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces")::get))
                .isTrue();
    }

    /** The one transport (the JDK HTTP sender) is on the class path: building the exporter needs it. */
    @Test
    void theExporterCanBeBuiltWithTheJdkSender() {
        try (var sdk = Telemetry.create("svc", "http://127.0.0.1:4318", NO_ENV::get)) {
            assertThat(sdk.getTracerProvider().get("test")).isNotNull();
        }
    }

    /** gRPC needs a sender we do not ship: asking for it fails at start-up, not at the first export. */
    @Test
    void grpcIsRefusedAtStartUp() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Telemetry.create(
                        "svc",
                        "http://127.0.0.1:4317",
                        NO_ENV::get,
                        Map.of("otel.exporter.otlp.protocol", "grpc"),
                        null))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported");
    }
}
