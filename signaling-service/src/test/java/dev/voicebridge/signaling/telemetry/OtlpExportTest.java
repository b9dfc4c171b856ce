package dev.voicebridge.signaling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.signaling.config.ConfigKeys;
import dev.voicebridge.signaling.config.ConfigProducer;
import dev.voicebridge.testkit.otlp.FakeOtlpCollector;
import io.helidon.config.mp.MpConfigSources;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

/** The service's spans leave the process over OTLP http/protobuf, configured as the service is. */
class OtlpExportTest {

    static io.opentelemetry.sdk.OpenTelemetrySdk sdk(Map<String, String> values) {
        var config = ConfigProviderResolver.instance()
                .getBuilder()
                .withSources(MpConfigSources.create(values))
                .build();
        return new TelemetryProducer().openTelemetry(ConfigProducer.from(config));
    }

    @Test
    void ourKeySendsSpansToTheCollectorUnderTheServicesName() {
        try (var collector = new FakeOtlpCollector()) {
            var sdk = sdk(Map.of(ConfigKeys.OTLP_ENDPOINT, collector.endpoint()));
            sdk.getTracer("test").spanBuilder("POST /webhook").startSpan().end();
            assertThat(sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(collector.requests()).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/v1/traces");
                assertThat(request.text()).contains("signaling-service").contains("POST /webhook");
            });
        }
    }

    /** Autoconfigure reads {@code OTEL_SERVICE_NAME} and the system property {@code otel.service.name} alike. */
    @Test
    void aStandardOtelSettingWinsOverTheServicesDefault() {
        try (var collector = new FakeOtlpCollector()) {
            System.setProperty("otel.service.name", "signaling-in-staging");
            try {
                var sdk = sdk(Map.of(ConfigKeys.OTLP_ENDPOINT, collector.endpoint()));
                sdk.getTracer("test").spanBuilder("GET /health").startSpan().end();
                assertThat(sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess())
                        .isTrue();
            } finally {
                System.clearProperty("otel.service.name");
            }
            assertThat(collector.received()).contains("signaling-in-staging");
        }
    }

    @Test
    void withoutAnEndpointSpansAreMadeButNothingIsSent() {
        try (var collector = new FakeOtlpCollector();
                var sdk = sdk(Map.of())) {
            var span = sdk.getTracer("test").spanBuilder("quiet").startSpan();
            assertThat(span.getSpanContext().isValid()).isTrue();
            span.end();
            assertThat(sdk.getSdkTracerProvider()
                            .forceFlush()
                            .join(5, TimeUnit.SECONDS)
                            .isSuccess())
                    .isTrue();
            assertThat(collector.requests()).isEmpty();
        }
    }
}
