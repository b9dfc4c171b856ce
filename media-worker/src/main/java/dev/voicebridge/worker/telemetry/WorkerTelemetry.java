package dev.voicebridge.worker.telemetry;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.telemetry.Telemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The worker's OpenTelemetry SDK, started as every service starts it ({@link Telemetry}: the
 * standard {@code OTEL_*} variables apply). Spans are always made, so every call has a trace and
 * its phases can be reasoned about in tests; they leave the process only when an OTLP endpoint is
 * configured (batched: a full export queue drops spans, it never blocks a caller). Closing flushes
 * what is queued.
 */
public final class WorkerTelemetry implements AutoCloseable {
    public static final String SERVICE_NAME = "voicebridge-media-worker";
    static final String INSTRUMENTATION = "dev.voicebridge.worker";
    private static final Logger LOG = Logger.getLogger(WorkerTelemetry.class.getName());
    private static final long FLUSH_SECONDS = 10;

    private final OpenTelemetrySdk sdk;
    private final CallTracing calls;
    private final boolean exporting;

    private WorkerTelemetry(OpenTelemetrySdk sdk, boolean exporting) {
        this.sdk = sdk;
        this.exporting = exporting;
        this.calls = new CallTracing(sdk.getTracer(INSTRUMENTATION));
    }

    /**
     * Exports over OTLP to {@code otlpEndpoint} (our key; else the standard variables decide); null
     * or blank with no standard endpoint either: spans are made, not exported.
     */
    public static WorkerTelemetry create(String otlpEndpoint) {
        return create(otlpEndpoint, System::getenv, Map.of());
    }

    /** As {@link #create(String)}, with {@code otel.*} properties that win over everything (tests). */
    static WorkerTelemetry create(
            String otlpEndpoint, Function<String, String> environment, Map<String, String> forced) {
        boolean exporting = Telemetry.exporting(otlpEndpoint, environment);
        if (exporting) {
            LOG.info(() ->
                    LogLine.of("telemetry.exporting", "protocol", "otlp/http-protobuf", "endpoint", otlpEndpoint));
        }
        return new WorkerTelemetry(Telemetry.create(SERVICE_NAME, otlpEndpoint, environment, forced, null), exporting);
    }

    /** Spans go to {@code processor} only (tests: a simple processor over an in-memory exporter). */
    public static WorkerTelemetry withProcessor(SpanProcessor processor) {
        return new WorkerTelemetry(
                Telemetry.create(SERVICE_NAME, "", name -> null, Map.of("otel.traces.exporter", "none"), processor),
                false);
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
        var result = sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
        if (!result.isSuccess()) {
            LOG.warning(LogLine.of("telemetry.flush-incomplete", "waitedSeconds", FLUSH_SECONDS));
        }
    }
}
