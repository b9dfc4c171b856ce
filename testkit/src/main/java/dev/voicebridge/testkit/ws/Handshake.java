package dev.voicebridge.testkit.ws;

import dev.voicebridge.testkit.ws.FakeWebSocketHost.Upgrade;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's opening handshake (RFC 6455 §4.2): reads the client's HTTP/1.1 request head and
 * decides between {@code 101 Switching Protocols} and a plain refusal: 404 for another path, 426
 * when the request is no WebSocket upgrade or not version 13, 400 for anything else malformed.
 * When the host also serves plain HTTP under a path prefix, a request there that asks for no
 * WebSocket upgrade is handed on as {@link Plain} instead.
 */
final class Handshake {
    /** RFC 6455 §1.3: appended to the client's key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_HEADERS = 100;

    sealed interface Outcome permits Accepted, Refused, Plain {}

    /** A plain HTTP request under the host's HTTP prefix; its body (if any) is still to be read. */
    record Plain(String method, String path, Map<String, List<String>> parameters, Map<String, List<String>> headers)
            implements Outcome {}

    /** A valid upgrade for our path; {@code accept} is the {@code Sec-WebSocket-Accept} value. */
    record Accepted(Upgrade upgrade, String accept) implements Outcome {
        byte[] response() {
            return ("HTTP/1.1 101 Switching Protocols\r\n"
                            + "Upgrade: websocket\r\n"
                            + "Connection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** A refusal: the status, a one-line explanation for the body, extra response headers. */
    record Refused(int status, String why, String extraHeaders) implements Outcome {
        byte[] response() {
            byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] head = ("HTTP/1.1 " + status + " " + PlainHttp.reason(status) + "\r\n"
                            + extraHeaders
                            + "Content-Type: text/plain; charset=utf-8\r\n"
                            + "Content-Length: " + body.length + "\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }
    }

    private Handshake() {}

    /**
     * Reads one request head from {@code in} and judges it against the served {@code path}; a
     * request for {@code httpPrefix} or below it (null: none) without {@code Upgrade: websocket} is
     * {@link Plain}.
     */
    static Outcome read(WsInput in, String path, String httpPrefix) throws IOException {
        int[] budget = {MAX_HEAD_BYTES};
        String requestLine;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try {
            requestLine = in.readLine(budget);
            int count = 0;
            for (String line = in.readLine(budget); !line.isEmpty(); line = in.readLine(budget)) {
                int colon = line.indexOf(':');
                if (colon <= 0 || ++count > MAX_HEADERS || hasWhitespace(line.substring(0, colon))) {
                    return bad("malformed header line");
                }
                headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        } catch (ProtocolException e) {
            return bad(e.getMessage());
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[1].startsWith("/") || !parts[2].equals("HTTP/1.1")) {
            return bad("expected an HTTP/1.1 request line: GET <path> HTTP/1.1");
        }
        int q = parts[1].indexOf('?');
        String target = q < 0 ? parts[1] : parts[1].substring(0, q);
        if (httpPrefix != null
                && (target.equals(httpPrefix) || target.startsWith(httpPrefix + "/"))
                && !hasToken(headers.get("Upgrade"), "websocket")) {
            try {
                return new Plain(
                        parts[0], target, q < 0 ? Map.of() : parameters(parts[1].substring(q + 1)), frozen(headers));
            } catch (IllegalArgumentException e) {
                return bad("malformed query string");
            }
        }
        if (!target.equals(path)) {
            return new Refused(404, "no WebSocket endpoint at " + target, "");
        }
        if (!parts[0].equals("GET")) {
            return bad("a WebSocket upgrade is a GET request");
        }
        if (!hasToken(headers.get("Upgrade"), "websocket") || !hasToken(headers.get("Connection"), "upgrade")) {
            return new Refused(
                    426,
                    "this endpoint speaks only WebSocket: send Upgrade: websocket and Connection: Upgrade",
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
        }
        if (!List.of("13").equals(headers.get("Sec-WebSocket-Version"))) {
            return new Refused(426, "Sec-WebSocket-Version must be 13", "Sec-WebSocket-Version: 13\r\n");
        }
        if (headers.get("Host") == null) {
            return bad("missing Host header");
        }
        var keys = headers.get("Sec-WebSocket-Key");
        if (keys == null || keys.size() != 1 || !isNonce(keys.get(0))) {
            return bad("Sec-WebSocket-Key must be one base64-encoded 16-byte value");
        }
        Map<String, List<String>> parameters;
        try {
            parameters = q < 0 ? Map.of() : parameters(parts[1].substring(q + 1));
        } catch (IllegalArgumentException e) {
            return bad("malformed query string");
        }
        return new Accepted(new Upgrade(frozen(headers), parameters), accept(keys.get(0)));
    }

    private static Map<String, List<String>> frozen(Map<String, List<String>> headers) {
        var frozen = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }

    /** {@code Sec-WebSocket-Accept}: base64 of the SHA-1 of the key and the GUID (RFC 6455 §4.2.2). */
    static String accept(String key) {
        try {
            var sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static Refused bad(String why) {
        return new Refused(400, why, "");
    }

    private static boolean hasWhitespace(String name) {
        return name.chars().anyMatch(c -> c == ' ' || c == '\t');
    }

    /** Whether a comma-separated header ({@code Connection: keep-alive, Upgrade}) lists {@code token}. */
    private static boolean hasToken(List<String> values, String token) {
        if (values == null) {
            return false;
        }
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNonce(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Query parameters in order, percent-decoded as UTF-8; a name without {@code =} has value "". */
    private static Map<String, List<String>> parameters(String query) {
        var result = new LinkedHashMap<String, List<String>>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        var frozen = new LinkedHashMap<String, List<String>>();
        result.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }
}
