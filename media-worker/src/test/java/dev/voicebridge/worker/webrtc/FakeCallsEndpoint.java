package dev.voicebridge.worker.webrtc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.relay.RealtimeCallClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI's {@code POST /v1/realtime/calls} on loopback: takes the multipart offer and session, has
 * a {@link SyntheticPhone} answer the offer as OpenAI's media endpoint does ({@code a=setup:active}),
 * and returns its SDP with the call's id in {@code Location}; or refuses as told.
 */
final class FakeCallsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    private volatile SyntheticPhone answerer;
    private volatile int refuseStatus;
    private volatile String refuseBody;

    FakeCallsEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/realtime/calls", this::handle);
        server.start();
    }

    /** The next calls are answered by {@code phone}. */
    void answerWith(SyntheticPhone phone) {
        answerer = phone;
        refuseStatus = 0;
    }

    /** The next calls are refused with {@code status} and {@code body} (OpenAI's error object). */
    void refuseWith(int status, String body) {
        refuseStatus = status;
        refuseBody = body;
    }

    /** The session parts received, in order. */
    List<String> sessions() {
        return List.copyOf(sessions);
    }

    RealtimeCallClient client() {
        return new RealtimeCallClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/realtime/calls"),
                "sk-test",
                http,
                Duration.ofSeconds(5));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (refuseStatus != 0) {
                respond(exchange, refuseStatus, "application/json", refuseBody);
                return;
            }
            Map<String, String> parts = parts(type, body);
            String sdp = parts.get("sdp");
            if (!exchange.getRequestMethod().equals("POST") || sdp == null) {
                respond(exchange, 400, "application/json", error("missing_sdp", "no sdp part"));
                return;
            }
            if (parts.containsKey("session")) {
                sessions.add(parts.get("session"));
            }
            String answer;
            try {
                answer = answerer.answerOffer(sdp, true);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "application/json", error("invalid_offer", e.getMessage()));
                return;
            }
            exchange.getResponseHeaders().add("Location", "/v1/realtime/calls/rtc_relay_" + created.incrementAndGet());
            respond(exchange, 201, "application/sdp", answer);
        }
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"" + code + "\",\"message\":\""
                + message.replace("\"", "'") + "\"}}";
    }

    private static Map<String, String> parts(String contentType, String body) {
        var parts = new HashMap<String, String>();
        if (contentType == null || !contentType.startsWith("multipart/form-data; boundary=")) {
            return parts;
        }
        String delimiter = "--" + contentType.substring(contentType.indexOf('=') + 1);
        for (String part : body.split(java.util.regex.Pattern.quote(delimiter))) {
            int head = part.indexOf("\r\n\r\n");
            int name = part.indexOf("name=\"");
            if (head < 0 || name < 0 || name > head) {
                continue;
            }
            String partName = part.substring(name + 6, part.indexOf('"', name + 6));
            String content = part.substring(head + 4);
            parts.put(partName, content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content);
        }
        return parts;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        http.close();
    }
}
