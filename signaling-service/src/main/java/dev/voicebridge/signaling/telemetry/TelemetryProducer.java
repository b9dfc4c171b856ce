package dev.voicebridge.signaling.telemetry;

import dev.voicebridge.api.telemetry.Telemetry;
import dev.voicebridge.signaling.calls.AnswerWaiters;
import dev.voicebridge.signaling.config.SignalingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * OpenTelemetry SDK as every service starts it ({@link Telemetry}: autoconfigured, so the standard
 * {@code OTEL_*} variables apply; no MP Telemetry for Helidon 4.4.0 here): spans are always
 * created, so trace context reaches the VoiceCall annotation; they are exported only when an OTLP
 * endpoint is set ({@code voicebridge.telemetry.otlp-endpoint} or {@code OTEL_EXPORTER_OTLP_ENDPOINT}).
 */
@ApplicationScoped
public class TelemetryProducer {

    @Produces
    @Singleton
    OpenTelemetrySdk openTelemetry(SignalingConfig config) {
        return Telemetry.create(
                config.telemetry().serviceName(), config.telemetry().otlpEndpoint(), System::getenv);
    }

    void close(@Disposes OpenTelemetrySdk sdk) {
        sdk.close();
    }

    @Produces
    @Singleton
    Tracer tracer(OpenTelemetrySdk sdk) {
        return ((OpenTelemetry) sdk).getTracer("dev.voicebridge.signaling");
    }

    @Produces
    @Singleton
    SignalingMetrics metrics(MetricRegistry registry, AnswerWaiters waiters) {
        var metrics = new SignalingMetrics(registry);
        metrics.registerExpected();
        metrics.pendingWaitersGauge(waiters::pendingCount);
        return metrics;
    }
}
