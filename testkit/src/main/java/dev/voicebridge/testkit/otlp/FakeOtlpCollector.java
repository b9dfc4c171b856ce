package dev.voicebridge.testkit.otlp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of an OpenTelemetry collector on loopback to see what a service exports: OTLP over
 * HTTP/1.1 with protobuf bodies (the OTLP specification's http/protobuf binding, what the
 * services' JDK HTTP sender speaks). Every request is kept (method, path, raw body; protobuf
 * strings are readable in it) and answered 200 with an empty body, which OTLP accepts as success.
 */
public final class FakeOtlpCollector implements AutoCloseable {
    /** One received export request. */
    public record Request(String method, String path, String contentType, byte[] body) {
        /** The body as ISO-8859-1 text: protobuf strings show up verbatim. */
        public String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeOtlpCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                requests.add(new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body));
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** The base endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}); traces arrive at {@code /v1/traces}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every body received so far, as text. */
    public String received() {
        var all = new StringBuilder();
        requests.forEach(r -> all.append(r.text()));
        return all.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
