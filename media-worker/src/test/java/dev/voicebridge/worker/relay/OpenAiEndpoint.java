package dev.voicebridge.worker.relay;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP endpoint on loopback that answers as it is told ({@link #status}, {@link #body}, an
 * optional {@code Location}) and keeps every request it was sent: OpenAI's calls and sessions
 * endpoints for the call clients' tests.
 */
final class OpenAiEndpoint implements AutoCloseable {
    /** One request as it arrived. */
    record Request(String method, String path, String contentType, String authorization, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    volatile int status;
    volatile String body;
    volatile String location;

    /** Serves {@code path} and everything under it. */
    OpenAiEndpoint(String path, int status, String body) throws IOException {
        this.status = status;
        this.body = body;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            var headers = exchange.getRequestHeaders();
            synchronized (requests) {
                requests.add(new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        headers.getFirst("Content-Type"),
                        headers.getFirst("Authorization"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            }
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            byte[] reply = this.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(this.status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    /** {@code path} on this endpoint's address. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The latest request (null before any). */
    Request last() {
        synchronized (requests) {
            return requests.isEmpty() ? null : requests.get(requests.size() - 1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
