package dev.voicebridge.worker.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

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

    /** A call's id as OpenAI gives it: {@code rtc_} and URL-safe characters, one path segment. */
    private static final Pattern CALL_ID = Pattern.compile("rtc_[A-Za-z0-9_-]+");

    private final URI callsUrl;
    private final OpenAiHttp http;
    private final SecureRandom random = new SecureRandom();

    public RealtimeCallClient(URI callsUrl, String apiKey, HttpClient http, Duration timeout) {
        this.callsUrl = Objects.requireNonNull(callsUrl, "callsUrl");
        this.http = new OpenAiHttp(apiKey, http, timeout);
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
        return http.post(callsUrl, "multipart/form-data; boundary=" + boundary, body.toString())
                .thenApply(RealtimeCallClient::created);
    }

    /**
     * Ends the call at OpenAI ({@code POST /v1/realtime/calls/{call_id}/hangup}, "End an active
     * Realtime API call, whether it was initiated over SIP or WebRTC"), so that it stops at once
     * instead of when the model notices the leg gone.
     */
    @Override
    public CompletableFuture<Void> hangup(String callId) {
        if (callId == null || !CALL_ID.matcher(callId).matches()) {
            throw new IllegalArgumentException("not a realtime call id");
        }
        String base = callsUrl.toString();
        return http.post(URI.create(base + (base.endsWith("/") ? "" : "/") + callId + "/hangup"), null, null)
                .thenAccept(response -> {});
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

    private static CreatedCall created(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = OpenAiHttp.answer(status, response.body());
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
            if (CALL_ID.matcher(s).matches()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The calls endpoint beside a Realtime WebSocket base: {@code wss://host/v1/realtime} →
     * {@code https://host/v1/realtime/calls} ({@code ws} → {@code http}); any query is dropped.
     */
    public static URI callsUrl(URI realtimeBase) {
        String scheme =
                switch (realtimeBase.getScheme()) {
                    case "wss", "https" -> "https";
                    case "ws", "http" -> "http";
                    default -> throw new IllegalArgumentException("not a realtime base URL: " + realtimeBase);
                };
        String path = realtimeBase.getRawPath() == null ? "" : realtimeBase.getRawPath();
        return URI.create(
                scheme + "://" + realtimeBase.getRawAuthority() + (path.endsWith("/") ? path : path + "/") + "calls");
    }

    /** The sideband's address for {@code callId} on a Realtime WebSocket base ({@code wss://…/v1/realtime}). */
    public static URI sideband(URI realtimeBase, String callId) {
        String base = realtimeBase.toString();
        int query = base.indexOf('?');
        return URI.create((query >= 0 ? base.substring(0, query) : base) + "?call_id=" + callId);
    }
}
