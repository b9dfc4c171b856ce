package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.otlp.FakeOtlpCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK the worker runs with, with and without an OTLP endpoint. */
class WorkerTelemetryTest {
    @Test
    void withoutAnEndpointSpansAreMadeButNotExported() {
        try (var telemetry = WorkerTelemetry.create(" ", name -> null, Map.of())) {
            assertThat(telemetry.exporting()).isFalse();
            var trace = telemetry.calls().begin("vc-local", "bridge", null);
            assertThat(trace.context().isValid()).isTrue();
            trace.ended(EndReason.CallerHangup, trace.now());
        }
    }

    /** The standard variable alone turns export on, as in the chart, which sets only it. */
    @Test
    void theStandardEndpointVariableAloneTurnsExportOn() {
        try (var collector = new FakeOtlpCollector()) {
            var telemetry = WorkerTelemetry.create(
                    "",
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint())::get,
                    // what autoconfigure itself reads from that variable
                    Map.of("otel.exporter.otlp.endpoint", collector.endpoint()));
            assertThat(telemetry.exporting()).isTrue();
            var trace = telemetry.calls().begin("vc-exported", "caller", null);
            trace.ended(EndReason.CallerHangup, trace.now());
            telemetry.close();
            assertThat(collector.received()).contains("vc-exported");
        }
    }
}
