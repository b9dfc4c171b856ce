package dev.voicebridge.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OperatorTelemetryTest {
    static final Map<String, String> NO_ENV = Map.of();

    @Test
    void nothingIsExportedWithoutAnEndpoint() {
        assertThat(OperatorTelemetry.defaults("", NO_ENV::get))
                .containsEntry("otel.traces.exporter", "none")
                .containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.logs.exporter", "none")
                .containsEntry("otel.service.name", "voicebridge-operator");
    }

    @Test
    void theOperatorKeyOrTheStandardVariableTurnsExportOn() {
        assertThat(OperatorTelemetry.defaults("http://collector:4317", NO_ENV::get))
                .containsEntry("otel.traces.exporter", "otlp")
                .containsEntry("otel.exporter.otlp.protocol", "grpc");
        assertThat(OperatorTelemetry.defaults("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")::get))
                .containsEntry("otel.traces.exporter", "otlp");
        assertThat(OperatorTelemetry.defaults(
                        "", Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4317")::get))
                .containsEntry("otel.traces.exporter", "otlp");
    }

    /** The default protocol's sender must be on the classpath (Helidon's BOM excludes it). */
    @Test
    void theGrpcExporterCanBeBuilt() {
        try (var sdk = OperatorTelemetry.create("http://127.0.0.1:4317", NO_ENV::get)) {
            assertThat(sdk.getTracerProvider().get("test")).isNotNull();
        }
    }

    /** A span really leaves the process: OTLP http/protobuf to a collector stand-in on loopback. */
    @Test
    void spansReachTheCollectorAndAreFlushedOnClose() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        collector.createContext("/", exchange -> {
            var body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            received.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + " " + body.toString(StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
            var sdk = OperatorTelemetry.create(
                    endpoint, NO_ENV::get, Map.of("otel.exporter.otlp.protocol", "http/protobuf"));
            sdk.getTracer("test").spanBuilder("assignment").startSpan().end();
            // close() must flush what the batch processor still holds: that is the shutdown path.
            assertThat(sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            collector.stop(0);
        }
        assertThat(received).singleElement().satisfies(request -> assertThat(request)
                .startsWith("POST /v1/traces ")
                .contains("voicebridge-operator")
                .contains("assignment"));
    }
}
