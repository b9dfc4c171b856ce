package dev.voicebridge.operator.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live}, {@code /health/ready} and {@code /metrics} on the JDK HTTP server,
 * bounded so that clients holding unfinished requests cannot starve the kubelet's probes (see
 * {@link ExchangeDeadlines}). Connections that send nothing are never handed to the executor; the
 * JDK server closes them after its idle interval ({@code sun.net.httpserver.idleInterval}, 30 s).
 * Any other path is a problem+json 404, any other method on these paths a 405.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final List<String> PATHS = List.of("/health/live", "/health/ready", "/metrics");
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * @param host address to bind ({@code 0.0.0.0} = every address; the chart gives the pod IP)
     * @param port port, 0 = any free one
     * @param exchangeTimeout how long one request may take from its first byte to the response
     * @param maxExchanges requests served at once; a connection beyond that is closed at once
     */
    public record Settings(String host, int port, Duration exchangeTimeout, int maxExchanges) {
        /** Any free port on loopback (tests). */
        public static Settings loopback(Duration exchangeTimeout) {
            return new Settings("127.0.0.1", 0, exchangeTimeout, 64);
        }
    }

    private final HttpServer server;
    private final ExchangeDeadlines executor;
    private final BooleanSupplier live;
    private final BooleanSupplier ready;
    private final OperatorMetrics metrics;

    public HttpEndpoints(Settings settings, BooleanSupplier live, BooleanSupplier ready, OperatorMetrics metrics) {
        this.live = live;
        this.ready = ready;
        this.metrics = metrics;
        try {
            this.server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()),
                    settings.maxExchanges());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot bind the operator HTTP endpoints to " + settings.host() + ":" + settings.port(), e);
        }
        this.executor = new ExchangeDeadlines(settings.maxExchanges(), settings.exchangeTimeout());
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Exchanges in progress (tests). */
    int busyExchanges() {
        return executor.busy();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!PATHS.contains(path)) {
                problem(exchange, 404, "Not Found", "not-found", "served: " + String.join(", ", PATHS));
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                problem(exchange, 405, "Method Not Allowed", "method-not-allowed", "only GET is served here");
            } else {
                switch (path) {
                    case "/health/live" -> health(exchange, live.getAsBoolean());
                    case "/health/ready" -> health(exchange, ready.getAsBoolean());
                    default -> send(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
                }
            }
        }
    }

    private static void health(HttpExchange exchange, boolean up) throws IOException {
        send(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
    }

    private static void problem(HttpExchange exchange, int status, String title, String code, String detail)
            throws IOException {
        // A request with a body we do not read: close rather than keep the connection for another.
        exchange.getResponseHeaders().set("Connection", "close");
        send(
                exchange,
                status,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"code\":\"" + code
                        + "\",\"detail\":\"" + detail + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
