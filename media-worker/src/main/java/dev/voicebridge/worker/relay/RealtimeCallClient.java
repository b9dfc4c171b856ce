package dev.voicebridge.worker.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a Realtime session over WebRTC: {@code POST /v1/realtime/calls} with our SDP offer and the
 * session's configuration as {@code multipart/form-data} (parts {@code sdp} and {@code session}),
 * answered with the model's SDP answer in the body and the call's id in the {@code Location}
 * header, which the sideband WebSocket joins ({@code wss://api.openai.com/v1/realtime?call_id=…};
 * OpenAI, "Webhooks and server-side controls" and the API reference's "Create call").
 *
 * <p>The API key goes in the {@code Authorization} header only and never into an exception's text;
 * a refusal carries the status and OpenAI's error code.
 */
public final class RealtimeCallClient {
    /** OpenAI's endpoint for WebRTC calls. */
    public static final URI DEFAULT_CALLS_URL = URI.create("https://api.openai.com/v1/realtime/calls");

    private static final int MAX_ANSWER_CHARS = 64 * 1024;

    private final URI callsUrl;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    /** A created call: the model's SDP answer, and the id its sideband joins. */
    public record Created(String answerSdp, String callId) {}

    /** OpenAI refused the call or answered with something that is not one. */
    public static final class RefusedException extends RuntimeException {
        private final int status;
        private final String code;

        RefusedException(int status, String code, String message) {
            super("realtime call refused (" + status + ", " + code + "): " + message);
            this.status = status;
            this.code = code;
        }

        /** The HTTP status; 0 when the response itself was unusable. */
        public int status() {
            return status;
        }

        /** OpenAI's error code, or ours for an unusable response ({@code no-call-id}, {@code not-sdp}). */
        public String code() {
            return code;
        }
    }

    public RealtimeCallClient(URI callsUrl, String apiKey, HttpClient http, Duration timeout) {
        this.callsUrl = Objects.requireNonNull(callsUrl, "callsUrl");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("a realtime call needs an API key");
        }
        this.apiKey = apiKey;
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Creates the call.
     *
     * @param offerSdp our offer (CRLF lines)
     * @param sessionJson the session's configuration, as in {@code session.update}; null for none
     * @return completes with the answer, or exceptionally with a {@link RefusedException} (or the
     *     transport's {@link IOException})
     */
    public CompletableFuture<Created> create(String offerSdp, String sessionJson) {
        String boundary = "voicebridge-" + HexFormat.of().formatHex(randomBytes());
        var body = new StringBuilder();
        part(body, boundary, "sdp", "application/sdp", offerSdp);
        if (sessionJson != null) {
            part(body, boundary, "session", "application/json", sessionJson);
        }
        body.append("--").append(boundary).append("--\r\n");
        var request = HttpRequest.newBuilder(callsUrl)
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(this::created);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return b;
    }

    private static void part(StringBuilder body, String boundary, String name, String type, String content) {
        body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\nContent-Type: ")
                .append(type)
                .append("\r\n\r\n")
                .append(content)
                .append("\r\n");
    }

    private Created created(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status < 200 || status > 299) {
            throw refusal(status, body);
        }
        if (!body.startsWith("v=0") || body.length() > MAX_ANSWER_CHARS) {
            throw new RefusedException(status, "not-sdp", "the response is not an SDP answer");
        }
        String callId = response.headers()
                .firstValue("Location")
                .flatMap(RealtimeCallClient::callId)
                .orElseThrow(() -> new RefusedException(status, "no-call-id", "no call id in the Location header"));
        return new Created(body, callId);
    }

    private RefusedException refusal(int status, String body) {
        String code = "http-" + status;
        String message = "no error detail";
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isObject()) {
                code = error.path("code").asText(error.path("type").asText(code));
                message = error.path("message").asText(message);
            }
        } catch (IOException | RuntimeException notJson) {
            // a proxy's page, not OpenAI's error object: the status says enough
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return new RefusedException(status, code, message);
    }

    /**
     * The call's id from a {@code Location} value: its path's last segment that starts with
     * {@code rtc_} (a relative or absolute URL; any query is ignored).
     */
    static Optional<String> callId(String location) {
        String path = location;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String s = segments[i];
            if (s.startsWith("rtc_") && s.length() > 4 && s.chars().allMatch(RealtimeCallClient::idChar)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static boolean idChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** The sideband's address for {@code callId} on a Realtime WebSocket base ({@code wss://…/v1/realtime}). */
    public static URI sideband(URI realtimeBase, String callId) {
        String base = realtimeBase.toString();
        int query = base.indexOf('?');
        return URI.create((query >= 0 ? base.substring(0, query) : base) + "?call_id=" + callId);
    }
}
