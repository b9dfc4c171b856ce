package dev.voicebridge.worker.relay;

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
 * a refusal ({@link ModelCallRefusedException}) carries the status and OpenAI's error code.
 */
public final class RealtimeCallClient implements ModelCalls {
    /** OpenAI's endpoint for WebRTC calls. */
    public static final URI DEFAULT_CALLS_URL = URI.create("https://api.openai.com/v1/realtime/calls");

    private static final int MAX_ANSWER_CHARS = 64 * 1024;

    private final URI callsUrl;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

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
     * @return completes with the answer, or exceptionally with a {@link ModelCallRefusedException}
     *     (or the transport's {@link java.io.IOException})
     */
    @Override
    public CompletableFuture<CreatedCall> create(String offerSdp, String sessionJson) {
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

    /**
     * Ends the call at OpenAI ({@code POST /v1/realtime/calls/{call_id}/hangup}, "End an active
     * Realtime API call, whether it was initiated over SIP or WebRTC"), so that it stops at once
     * instead of when the model notices the leg gone.
     */
    @Override
    public CompletableFuture<Void> hangup(String callId) {
        if (callId == null || callId(callId).filter(callId::equals).isEmpty()) {
            throw new IllegalArgumentException("not a realtime call id");
        }
        String base = callsUrl.toString();
        var request = HttpRequest.newBuilder(URI.create(base + (base.endsWith("/") ? "" : "/") + callId + "/hangup"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenAccept(response -> {
                    if (response.statusCode() < 200 || response.statusCode() > 299) {
                        throw ModelCallRefusedException.of(response.statusCode(), response.body());
                    }
                });
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

    private CreatedCall created(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status < 200 || status > 299) {
            throw ModelCallRefusedException.of(status, body);
        }
        if (!body.startsWith("v=0") || body.length() > MAX_ANSWER_CHARS) {
            throw new ModelCallRefusedException(status, "not-sdp", "the response is not an SDP answer");
        }
        String callId = response.headers()
                .firstValue("Location")
                .flatMap(RealtimeCallClient::callId)
                .orElseThrow(
                        () -> new ModelCallRefusedException(status, "no-call-id", "no call id in the Location header"));
        return new CreatedCall(body, callId);
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
