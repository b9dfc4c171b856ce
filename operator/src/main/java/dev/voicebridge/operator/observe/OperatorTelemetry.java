package dev.voicebridge.operator.observe;

import dev.voicebridge.api.telemetry.Telemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator's OpenTelemetry SDK, started as every service starts it ({@link Telemetry}: the
 * standard {@code OTEL_*} variables apply; service name {@value #SERVICE_NAME}).
 *
 * <p>{@link dev.voicebridge.operator.OperatorMain} closes the SDK last, after the operator has
 * drained its reconciliations, whose spans would otherwise be lost.
 */
public final class OperatorTelemetry {
    public static final String SERVICE_NAME = "voicebridge-operator";

    private OperatorTelemetry() {}

    /**
     * Builds the SDK.
     *
     * @param otlpEndpoint {@code VOICEBRIDGE_OTLP_ENDPOINT}; when set it wins over
     *     {@code OTEL_EXPORTER_OTLP_ENDPOINT}
     * @param environment lookup of environment variables
     */
    public static OpenTelemetrySdk create(String otlpEndpoint, Function<String, String> environment) {
        return Telemetry.create(SERVICE_NAME, otlpEndpoint, environment);
    }

    /** As {@link #create(String, Function)}, with {@code otel.*} properties that win over everything (tests). */
    static OpenTelemetrySdk create(
            String otlpEndpoint, Function<String, String> environment, Map<String, String> forced) {
        return Telemetry.create(SERVICE_NAME, otlpEndpoint, environment, forced, null);
    }
}
