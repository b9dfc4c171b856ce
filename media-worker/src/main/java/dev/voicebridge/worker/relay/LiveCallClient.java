package dev.voicebridge.worker.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Opens a GPT-Live session over WebRTC: {@code POST /v1/live/sessions} with {@code {"session": …,
 * "transport": {"type": "webrtc", "sdp": <offer>}}}, answered with {@code {"session": {"id": …},
 * "transport": {"type": "webrtc", "sdp": <answer>}}}; the sideband attaches at
 * {@code wss://api.openai.com/v1/live/sessions/{id}/attach} (OpenAI's API reference, "live/sessions
 * create" and "sideband connect"; guides/voice-server-controls?api=live).
 *
 * <p>The session id is OpenAI's opaque value, kept as is; one that could not be a single path
 * segment is refused, since it goes into the sideband's URL. The API key goes in the {@code
 * Authorization} header only.
 */
public final class LiveCallClient implements ModelCalls {
    /** OpenAI's endpoint for GPT-Live sessions. */
    public static final URI DEFAULT_SESSIONS_URL = URI.create("https://api.openai.com/v1/live/sessions");

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private final URI sessionsUrl;
    private final OpenAiHttp http;
    private final ObjectMapper json = new ObjectMapper();

    public LiveCallClient(URI sessionsUrl, String apiKey, HttpClient http, Duration timeout) {
        this.sessionsUrl = Objects.requireNonNull(sessionsUrl, "sessionsUrl");
        this.http = new OpenAiHttp(apiKey, http, timeout);
    }

    /**
     * @param sessionJson the session's startup configuration (a JSON object with at least {@code
     *     model}); required
     */
    @Override
    public CompletableFuture<CreatedCall> create(String offerSdp, String sessionJson) {
        ObjectNode body = json.createObjectNode();
        try {
            JsonNode session =
                    json.readTree(Objects.requireNonNull(sessionJson, "a live session needs its configuration"));
            if (!session.isObject()) {
                throw new IllegalArgumentException("the live session's configuration must be a JSON object");
            }
            body.set("session", session);
        } catch (IOException e) {
            throw new IllegalArgumentException("the live session's configuration is not JSON", e);
        }
        body.putObject("transport").put("type", "webrtc").put("sdp", offerSdp);
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return http.post(sessionsUrl, "application/json", text).thenApply(this::created);
    }

    private CreatedCall created(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode answer;
        try {
            answer = json.readTree(response.body() == null ? "" : response.body());
        } catch (IOException e) {
            throw new ModelCallRefusedException(status, "not-json", "the response is not a live session");
        }
        String sdp =
                OpenAiHttp.answer(status, answer.path("transport").path("sdp").asText(""));
        String id = answer.path("session").path("id").asText("");
        if (!SESSION_ID.matcher(id).matches()) {
            throw new ModelCallRefusedException(status, "no-call-id", "the response carries no usable session id");
        }
        return new CreatedCall(sdp, id);
    }

    /** The sideband's address for a session: {@code <sessions URL>/{id}/attach}, as {@code wss}. */
    public static URI sideband(URI sessionsUrl, String sessionId) {
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("not a session id");
        }
        String base = sessionsUrl.toString().replaceFirst("^https:", "wss:").replaceFirst("^http:", "ws:");
        return URI.create(base + "/" + sessionId + "/attach");
    }
}
