package dev.voicebridge.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.testkit.otlp.FakeOtlpCollector;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OperatorTelemetryTest {
    static final Map<String, String> NO_ENV = Map.of();

    /** A span really leaves the process: OTLP http/protobuf to a collector stand-in on loopback. */
    @Test
    void spansReachTheCollectorAndAreFlushedOnClose() {
        try (var collector = new FakeOtlpCollector()) {
            var sdk = OperatorTelemetry.create(collector.endpoint(), NO_ENV::get);
            sdk.getTracer("test").spanBuilder("assignment").startSpan().end();
            // close() must flush what the batch processor still holds: that is the shutdown path.
            assertThat(sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(collector.requests()).singleElement().satisfies(request -> {
                assertThat(request.method() + " " + request.path()).isEqualTo("POST /v1/traces");
                assertThat(request.contentType()).isEqualTo("application/x-protobuf");
                assertThat(request.text()).contains("voicebridge-operator").contains("assignment");
            });
        }
    }

    /**
     * The standard settings reach the SDK (autoconfigure reads {@code OTEL_SERVICE_NAME} and its
     * system property {@code otel.service.name} alike): the operator's default name gives way.
     */
    @Test
    void aStandardOtelSettingWinsOverTheOperatorsDefault() {
        try (var collector = new FakeOtlpCollector()) {
            System.setProperty("otel.service.name", "operator-in-staging");
            try {
                var sdk = OperatorTelemetry.create(
                        "",
                        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint())::get,
                        Map.of("otel.exporter.otlp.endpoint", collector.endpoint()));
                sdk.getTracer("test").spanBuilder("placement").startSpan().end();
                assertThat(sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess())
                        .isTrue();
            } finally {
                System.clearProperty("otel.service.name");
            }
            assertThat(collector.received()).contains("operator-in-staging").doesNotContain("voicebridge-operator");
        }
    }
}
