package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import org.junit.jupiter.api.Test;

/** The tracer provider the worker runs with, with and without an OTLP endpoint. */
class WorkerTelemetryTest {
    @Test
    void withoutAnEndpointSpansAreMadeButNotExported() {
        try (var telemetry = WorkerTelemetry.create(" ")) {
            assertThat(telemetry.exporting()).isFalse();
            var trace = telemetry.calls().begin("vc-local", "bridge", null);
            assertThat(trace.context().isValid()).isTrue();
            trace.ended(EndReason.CallerHangup, trace.now());
        }
    }

    @Test
    void withAnEndpointTheOtlpExporterIsBuilt() {
        // Building the exporter needs its transport on the classpath (a service loader finds it):
        // missing, the worker would not start. Nothing is exported here (no span ends), so nothing
        // is sent, and close has nothing to flush.
        try (var telemetry = WorkerTelemetry.create("http://127.0.0.1:4317")) {
            assertThat(telemetry.exporting()).isTrue();
            assertThat(telemetry
                            .calls()
                            .begin("vc-exported", "caller", null)
                            .context()
                            .isValid())
                    .isTrue();
        }
    }
}
