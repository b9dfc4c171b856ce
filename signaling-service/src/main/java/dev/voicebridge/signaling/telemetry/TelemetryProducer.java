package dev.voicebridge.signaling.telemetry;

import dev.voicebridge.signaling.calls.AnswerWaiters;
import dev.voicebridge.signaling.config.SignalingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * OpenTelemetry SDK (no MP Telemetry for Helidon 4.4.0 here): spans are always created, so trace
 * context reaches the VoiceCall annotation; they are exported only when an OTLP endpoint is set.
 */
@ApplicationScoped
public class TelemetryProducer {

    @Produces
    @Singleton
    OpenTelemetrySdk openTelemetry(SignalingConfig config) {
        var tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(
                                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"),
                                config.telemetry().serviceName()))));
        String endpoint = otlpEndpoint(config.telemetry().otlpEndpoint(), System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (!endpoint.isBlank()) {
            tracerProvider.addSpanProcessor(BatchSpanProcessor.builder(
                            OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build())
                    .build());
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /** Our key first, then the standard variable the chart sets for every service. */
    static String otlpEndpoint(String configured, String standard) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return standard == null ? "" : standard;
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
        metrics.pendingWaitersGauge(waiters::pendingCount);
        return metrics;
    }
}
