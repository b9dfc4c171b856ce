package dev.voicebridge.worker.telemetry;

import dev.voicebridge.api.log.LogLine;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The worker's OpenTelemetry tracer provider. Spans are always made, so every call has a trace
 * and its phases can be reasoned about in tests; they leave the process only when an OTLP/gRPC
 * endpoint is configured (batched: a full export queue drops spans, it never blocks a caller).
 * Closing flushes what is queued.
 */
public final class WorkerTelemetry implements AutoCloseable {
    public static final String SERVICE_NAME = "voicebridge-media-worker";
    static final String INSTRUMENTATION = "dev.voicebridge.worker";
    private static final Logger LOG = Logger.getLogger(WorkerTelemetry.class.getName());
    private static final long FLUSH_SECONDS = 10;

    private final SdkTracerProvider provider;
    private final CallTracing calls;
    private final boolean exporting;

    private WorkerTelemetry(SpanProcessor processor) {
        var builder = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME))));
        if (processor != null) {
            builder.addSpanProcessor(processor);
        }
        this.provider = builder.build();
        this.exporting = processor != null;
        this.calls = new CallTracing(provider.get(INSTRUMENTATION));
    }

    /** Exports over OTLP/gRPC to {@code otlpEndpoint}; null or blank: spans are made, not exported. */
    public static WorkerTelemetry create(String otlpEndpoint) {
        if (otlpEndpoint == null || otlpEndpoint.isBlank()) {
            return new WorkerTelemetry(null);
        }
        var exporter =
                OtlpGrpcSpanExporter.builder().setEndpoint(otlpEndpoint.trim()).build();
        LOG.info(() -> LogLine.of("telemetry.exporting", "protocol", "otlp/grpc", "endpoint", otlpEndpoint.trim()));
        return new WorkerTelemetry(BatchSpanProcessor.builder(exporter).build());
    }

    /** Spans go to {@code processor} (tests: a simple processor over an in-memory exporter). */
    public static WorkerTelemetry withProcessor(SpanProcessor processor) {
        return new WorkerTelemetry(processor);
    }

    public CallTracing calls() {
        return calls;
    }

    public boolean exporting() {
        return exporting;
    }

    /** Flushes queued spans (bounded wait) and stops the exporter. */
    @Override
    public void close() {
        var result = provider.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
        if (!result.isSuccess()) {
            LOG.warning(LogLine.of("telemetry.flush-incomplete", "waitedSeconds", FLUSH_SECONDS));
        }
    }
}
