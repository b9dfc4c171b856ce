package dev.voicebridge.api.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How every service starts OpenTelemetry: the SDK's autoconfiguration, so every standard
 * {@code OTEL_*} variable (and its {@code otel.*} system property) applies, over defaults that
 * suit voicebridge: the service's name, OTLP over http/protobuf (the JDK's own HTTP client is the
 * one transport on the class path; a collector listens on 4318 for it), and no exporter at all
 * unless an endpoint is configured (autoconfigure alone would send to localhost). Only traces:
 * metrics are scraped from {@code /metrics}, logs go to stderr.
 *
 * <p>The SDK's own shutdown hook is disabled: each service closes the SDK itself, after its work
 * has drained, so the last spans are flushed rather than lost to hook ordering.
 */
public final class Telemetry {
    static final String ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String TRACES_ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    /** A processor that does nothing but makes the SDK record spans (so their contexts are valid). */
    private static final SpanProcessor KEEP_CONTEXT = new SpanProcessor() {
        @Override
        public void onStart(io.opentelemetry.context.Context parent, io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return false;
        }
    };

    private Telemetry() {}

    /**
     * Builds a service's SDK.
     *
     * @param serviceName the default {@code service.name} ({@code OTEL_SERVICE_NAME} wins)
     * @param endpoint the service's own endpoint key; when set it wins over
     *     {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a signal-specific
     *     {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} still wins over both)
     * @param environment lookup of environment variables (decides whether anything is exported)
     */
    public static OpenTelemetrySdk create(String serviceName, String endpoint, Function<String, String> environment) {
        return create(serviceName, endpoint, environment, Map.of(), null);
    }

    /**
     * As {@link #create(String, String, Function)}, with {@code otel.*} properties that win over
     * everything (tests use them as they would use {@code OTEL_*} variables) and a span processor
     * added beside the exporter's (tests: an in-memory exporter), or null.
     */
    public static OpenTelemetrySdk create(
            String serviceName,
            String endpoint,
            Function<String, String> environment,
            Map<String, String> forced,
            SpanProcessor extraProcessor) {
        String own = endpoint == null ? "" : endpoint.trim();
        Map<String, String> overrides = new HashMap<>(forced);
        if (!own.isEmpty()) {
            overrides.putIfAbsent("otel.exporter.otlp.endpoint", own);
        }
        var builder = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(serviceName, own, environment))
                .addPropertiesCustomizer(config -> {
                    refuseGrpc(config, overrides);
                    return overrides;
                })
                .disableShutdownHook();
        // Without any processor the SDK makes no spans at all (invalid contexts); the services need
        // real trace context even when nothing is exported (it travels in the VoiceCall annotation).
        SpanProcessor processor = extraProcessor != null ? extraProcessor : KEEP_CONTEXT;
        builder.addTracerProviderCustomizer((tracers, config) -> tracers.addSpanProcessor(processor));
        OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
        warmUp();
        return sdk;
    }

    /**
     * Runs once what a call's first spans run — a server span made current, its context carried
     * as a {@code traceparent} and read back, a child span with attributes, an event and a status,
     * both ended — on a tracer provider of its own whose spans go nowhere (so no exporter ever
     * sees a warm-up span). Left to the first call, the SDK's classes (about a hundred) were
     * loaded on that call's path in each service: 30-40 ms each in the operator's placement and
     * the worker's set-up on the first call after start (measured with {@code -Xlog:class+load}).
     */
    static void warmUp() {
        var provider =
                SdkTracerProvider.builder().addSpanProcessor(KEEP_CONTEXT).build();
        try {
            Tracer tracer = provider.get("dev.voicebridge.warm-up");
            Span server = tracer.spanBuilder("warm-up")
                    .setNoParent()
                    .setSpanKind(SpanKind.SERVER)
                    .startSpan();
            try (Scope ignored = server.makeCurrent()) {
                Map<String, String> carrier = new HashMap<>();
                W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
                Context carried = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, CARRIER);
                Span child = tracer.spanBuilder("warm-up child")
                        .setParent(carried)
                        .setSpanKind(SpanKind.INTERNAL)
                        .setAttribute("voicebridge.warm-up", true)
                        .startSpan();
                child.addEvent("warm-up");
                child.setStatus(StatusCode.OK);
                child.end();
            }
            server.end();
        } finally {
            // Its processor is the no-op above; shutting this provider down leaves the SDK's alone.
            provider.close();
        }
    }

    private static final TextMapGetter<Map<String, String>> CARRIER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /**
     * Defaults below the {@code OTEL_*} variables and system properties (autoconfigure's order):
     * traces are exported only when some endpoint is configured.
     */
    static Map<String, String> defaults(String serviceName, String endpoint, Function<String, String> environment) {
        boolean exporting = !endpoint.isBlank()
                || !blank(environment.apply(ENDPOINT_ENV))
                || !blank(environment.apply(TRACES_ENDPOINT_ENV))
                || !blank(System.getProperty("otel.exporter.otlp.endpoint"))
                || !blank(System.getProperty("otel.exporter.otlp.traces.endpoint"));
        return Map.of(
                "otel.service.name", serviceName,
                "otel.traces.exporter", exporting ? "otlp" : "none",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf");
    }

    /**
     * gRPC would need a transport we do not ship (the JDK's HTTP client speaks http/protobuf only):
     * refused at start-up with the setting's name, rather than autoconfigure's generic error.
     */
    private static void refuseGrpc(ConfigProperties config, Map<String, String> overrides) {
        for (String key : new String[] {"otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol"}) {
            String value = overrides.getOrDefault(key, config.getString(key));
            if ("grpc".equalsIgnoreCase(value)) {
                throw new ConfigurationException(
                        key.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                                + "=grpc is not supported: voicebridge exports OTLP over http/protobuf"
                                + " (a collector's port 4318)");
            }
        }
    }

    /** Whether spans leave the process with these settings (an exporter other than none). */
    public static boolean exporting(String endpoint, Function<String, String> environment) {
        return defaults("", endpoint == null ? "" : endpoint.trim(), environment)
                .get("otel.traces.exporter")
                .equals("otlp");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
