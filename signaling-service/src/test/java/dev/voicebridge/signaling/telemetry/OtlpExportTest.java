package dev.voicebridge.signaling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import org.junit.jupiter.api.Test;

class OtlpExportTest {
    @Test
    void anEndpointBuildsAnExporter() {
        // Without a sender on the class path this throws "No GrpcSenderProvider found", which is
        // what a configured endpoint did to the service's start-up. Building opens no connection.
        try (var exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:4317")
                .build()) {
            assertThat(exporter).isNotNull();
        }
    }

    @Test
    void ourKeyWinsAndTheStandardVariableIsTheFallback() {
        assertThat(TelemetryProducer.otlpEndpoint("http://a:4317", "http://b:4317"))
                .isEqualTo("http://a:4317");
        assertThat(TelemetryProducer.otlpEndpoint("", "http://b:4317")).isEqualTo("http://b:4317");
        assertThat(TelemetryProducer.otlpEndpoint(" ", null)).isEmpty();
    }
}
