package dev.voicebridge.operator.observe;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator's OpenTelemetry SDK, autoconfigured from the standard {@code OTEL_*} variables
 * with defaults that suit the chart: service name {@value #SERVICE_NAME}, OTLP over gRPC (the
 * chart's example endpoint is a collector's 4317), and no exporter at all unless an endpoint is
 * configured (autoconfigure alone would send to localhost). Only traces: metrics are scraped from
 * {@code /metrics}, logs go to stderr.
 *
 * <p>The SDK's own shutdown hook is disabled: hooks run in no particular order, and the SDK must
 * flush after the operator has drained its reconciliations, whose spans would otherwise be lost.
 * {@link dev.voicebridge.operator.OperatorMain} closes it last.
 */
public final class OperatorTelemetry {
    public static final String SERVICE_NAME = "voicebridge-operator";
    static final String ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String TRACES_ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    private OperatorTelemetry() {}

    /**
     * Builds the SDK.
     *
     * @param otlpEndpoint {@code VOICEBRIDGE_OTLP_ENDPOINT}; when set it wins over
     *     {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a signal-specific
     *     {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} still wins over both)
     * @param environment lookup of environment variables
     */
    public static OpenTelemetrySdk create(String otlpEndpoint, Function<String, String> environment) {
        return create(otlpEndpoint, environment, Map.of());
    }

    /** As {@link #create(String, Function)}, with properties that win over everything (tests). */
    static OpenTelemetrySdk create(
            String otlpEndpoint, Function<String, String> environment, Map<String, String> forced) {
        Map<String, String> overrides = new HashMap<>(forced);
        if (!otlpEndpoint.isBlank()) {
            overrides.putIfAbsent("otel.exporter.otlp.endpoint", otlpEndpoint);
        }
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(otlpEndpoint, environment))
                .addPropertiesCustomizer(config -> overrides)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /**
     * Defaults below the {@code OTEL_*} variables and system properties (autoconfigure's order):
     * traces are exported only when some endpoint is configured.
     */
    static Map<String, String> defaults(String otlpEndpoint, Function<String, String> environment) {
        boolean endpoint = !otlpEndpoint.isBlank()
                || !blank(environment.apply(ENDPOINT_ENV))
                || !blank(environment.apply(TRACES_ENDPOINT_ENV));
        return Map.of(
                "otel.service.name", SERVICE_NAME,
                "otel.traces.exporter", endpoint ? "otlp" : "none",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "grpc");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
