package dev.voicebridge.testkit.ws;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Plain HTTP requests (no upgrade) that a {@link FakeWebSocketHost} hands to a handler, for a fake
 * service that has REST endpoints beside its WebSocket one on the same port (OpenAI's
 * {@code POST /v1/realtime/calls} beside {@code /v1/realtime}). One request per connection, its
 * body whole ({@code Content-Length} only), the reply closes the connection.
 */
public final class PlainHttp {
    private PlainHttp() {}

    /** Serves the plain requests under a path prefix; called on the connection's own (virtual) thread. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request);
    }

    /**
     * A request: {@code path} without the query, {@code parameters} percent-decoded, header names
     * case-insensitive, {@code body} as received.
     */
    public record Request(
            String method,
            String path,
            Map<String, List<String>> parameters,
            Map<String, List<String>> headers,
            byte[] body) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** True when {@code Authorization} is exactly {@code Bearer <token>}. */
        public boolean bearer(String token) {
            return ("Bearer " + token).equals(header("Authorization"));
        }
    }

    /**
     * A reply: status, {@code Content-Type} (null for none, with an empty body), extra headers
     * ({@code Location}, …) and the body. {@code Content-Length} and {@code Connection: close} are
     * added.
     */
    public record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
        public Reply {
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        public static Reply json(int status, String json) {
            return new Reply(status, "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
        }

        public static Reply text(int status, String contentType, String text) {
            return new Reply(status, contentType, Map.of(), text.getBytes(StandardCharsets.UTF_8));
        }

        public static Reply empty(int status) {
            return new Reply(status, null, Map.of(), new byte[0]);
        }

        public Reply withHeader(String name, String value) {
            var all = new java.util.LinkedHashMap<>(headers);
            all.put(name, value);
            return new Reply(status, contentType, all, body);
        }

        /** The whole HTTP/1.1 response, head and body, for one write. */
        byte[] bytes() {
            var head = new StringBuilder(160)
                    .append("HTTP/1.1 ")
                    .append(status)
                    .append(' ')
                    .append(reason(status))
                    .append("\r\n");
            headers.forEach((name, value) ->
                    head.append(name).append(": ").append(value).append("\r\n"));
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n").append("Connection: close\r\n\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }
    }

    /** The reason phrase of the statuses the fakes use (RFC 9110 §15). */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    /**
     * Thrown by a {@link FakeWebSocketHost}'s listener factory to refuse an upgrade with a plain
     * HTTP response instead of {@code 101} (e.g. 404 for a session that does not exist).
     */
    public static final class RefusedUpgrade extends RuntimeException {
        private final transient Reply reply;

        public RefusedUpgrade(Reply reply) {
            super("upgrade refused with " + reply.status(), null, false, false);
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }
}
