package dev.voicebridge.operator.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.v1alpha1.WhatsAppCapture;
import dev.voicebridge.operator.observe.OperatorMetrics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * WhatsApp Cloud API calls over {@code java.net.http}: the call actions ({@code POST
 * {base}/{version}/{phoneNumberId}/calls}, connect included), the user's call permission and the
 * call permission request message. One call is one attempt with a bounded timeout; retries are
 * the caller's, scheduled through the reconciler (never a sleep on a reconcile thread) and counted
 * in status so they survive a restart. The access token is passed per call and never logged.
 */
public final class GraphClient {
    /** Start of the message of a failure that never reached Graph (no connection was made). */
    public static final String NOT_SENT = "not sent: ";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final URI baseUri;
    private final String version;
    private final Duration timeout;
    private final OperatorMetrics metrics;

    public GraphClient(
            URI baseUri, String version, Duration connectTimeout, Duration timeout, OperatorMetrics metrics) {
        this.baseUri = baseUri;
        this.version = version;
        this.timeout = timeout;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .executor(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("graph-http-", 0).factory()))
                .build();
    }

    public GraphOutcome send(GraphCommand command, String accessToken) {
        if (command.action() == CallAction.PERMISSION_REQUEST) {
            throw new IllegalArgumentException("a permission request is a message: sendPermissionRequest");
        }
        long started = System.nanoTime();
        var response = exchange(post(command.phoneNumberId() + "/calls", body(command), accessToken));
        GraphOutcome outcome = response.failure() != null
                ? response.failure()
                : command.action() == CallAction.CONNECT
                        ? interpretConnect(response.status(), response.body())
                        : interpret(response.status(), response.body());
        metrics.graphRequest(command.action().wireName(), outcome, Duration.ofNanos(System.nanoTime() - started));
        return outcome;
    }

    /**
     * Sends the call permission request message (an interactive {@code call_permission_request},
     * user-call-permissions page) to a user without permission. One attempt.
     */
    public GraphOutcome sendPermissionRequest(String phoneNumberId, String to, String text, String accessToken) {
        ObjectNode body = json.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", to);
        body.put("type", "interactive");
        ObjectNode interactive = body.putObject("interactive");
        interactive.put("type", "call_permission_request");
        interactive.putObject("action").put("name", "call_permission_request");
        interactive.putObject("body").put("text", text);
        long started = System.nanoTime();
        var response = exchange(post(phoneNumberId + "/messages", bytes(body), accessToken));
        GraphOutcome outcome =
                response.failure() != null ? response.failure() : interpret(response.status(), response.body());
        metrics.graphRequest("permission_request", outcome, Duration.ofNanos(System.nanoTime() - started));
        return outcome;
    }

    /**
     * The user's call permission: {@code GET /{phone-number-id}/call_permissions?user_wa_id=}
     * (or {@code recipient=} for a business-scoped user id). One attempt.
     */
    public PermissionOutcome permission(String phoneNumberId, String userWaId, String recipient, String accessToken) {
        String query = userWaId != null
                ? "user_wa_id=" + URLEncoder.encode(userWaId, StandardCharsets.UTF_8)
                : "recipient=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUri + "/" + version + "/" + phoneNumberId + "/call_permissions?" + query))
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        long started = System.nanoTime();
        var response = exchange(request);
        GraphOutcome outcome = response.failure() != null
                ? response.failure()
                : response.status() / 100 == 2
                        ? new GraphOutcome.Success(response.status())
                        : interpret(response.status(), response.body());
        metrics.graphRequest("call_permissions", outcome, Duration.ofNanos(System.nanoTime() - started));
        return outcome instanceof GraphOutcome.Failure failure
                ? new PermissionOutcome.Unknown(failure)
                : PermissionAnswers.read(json, response.body());
    }

    private HttpRequest post(String path, byte[] body, String accessToken) {
        // Appended, not resolved: a base URL with a path (a proxy prefix) keeps it.
        return HttpRequest.newBuilder(URI.create(baseUri + "/" + version + "/" + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** What an exchange came to: the response's status and body, or the failure in its way. */
    private record Exchange(int status, String body, GraphOutcome.Failure failure) {}

    private Exchange exchange(HttpRequest request) {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange(response.statusCode(), response.body(), null);
        } catch (HttpTimeoutException e) {
            return failed("no answer within " + timeout);
        } catch (ConnectException e) {
            // No connection: Graph never saw the request, so even a connect may be sent again.
            return failed(NOT_SENT + "no connection to Graph");
        } catch (IOException e) {
            return failed("transport: " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    private static Exchange failed(String message) {
        return new Exchange(
                0, null, new GraphOutcome.Failure(0, null, message, null, null, true, GraphErrors.reasonFor(null)));
    }

    byte[] body(GraphCommand command) {
        ObjectNode body = json.createObjectNode();
        body.put("messaging_product", "whatsapp");
        if (command.action() != CallAction.CONNECT) {
            body.put("call_id", command.callId());
        }
        if (command.to() != null) {
            body.put("to", command.to());
        }
        if (command.recipient() != null) {
            body.put("recipient", command.recipient());
        }
        body.put("action", command.action().wireName());
        if (command.action().carriesSdp()) {
            // The SDP goes as a plain JSON string, CRLF intact; never double-encoded.
            ObjectNode session = body.putObject("session");
            session.put("sdp_type", command.action().sdpType());
            session.put("sdp", command.sdp());
        }
        if (command.callbackData() != null) {
            body.put("biz_opaque_callback_data", command.callbackData());
        }
        capture(body, "recording", command.recording());
        capture(body, "transcription", command.transcription());
        return bytes(body);
    }

    /** A recording / transcription opt-in as Graph takes it (call-recording, call-transcription pages). */
    private static void capture(ObjectNode body, String field, WhatsAppCapture capture) {
        if (capture == null || capture.getEnabled() == null) {
            return;
        }
        ObjectNode node = body.putObject(field);
        if (!capture.getEnabled()) {
            node.put("status", "DISABLED");
            return;
        }
        node.put("status", "ENABLED");
        node.put("purpose", capture.getPurpose());
        node.put("announcement_language", capture.getAnnouncementLanguage());
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a Graph request", e);
        }
    }

    /** connect answers with the new call ({@code calls[0].id}), not with {@code success}. */
    GraphOutcome interpretConnect(int status, String body) {
        if (status / 100 != 2) {
            return interpret(status, body);
        }
        String id;
        try {
            id = json.readTree(body).path("calls").path(0).path("id").asText(null);
        } catch (IOException | RuntimeException e) {
            id = null;
        }
        return id != null && !id.isBlank()
                ? new GraphOutcome.Success(status, id)
                : new GraphOutcome.Failure(
                        status, null, "2xx without calls[0].id", null, null, false, GraphErrors.reasonFor(null));
    }

    GraphOutcome interpret(int status, String body) {
        JsonNode parsed;
        try {
            parsed = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            parsed = null;
        }
        if (status / 100 == 2) {
            // Actions answer success=true; a message answers with its id.
            if (parsed != null
                    && (parsed.path("success").asBoolean(false)
                            || parsed.path("messages").path(0).has("id"))) {
                return new GraphOutcome.Success(status);
            }
            return new GraphOutcome.Failure(
                    status, null, "2xx without success=true", null, null, false, GraphErrors.reasonFor(null));
        }
        JsonNode error = parsed == null ? null : parsed.get("error");
        Long code =
                error != null && error.hasNonNull("code") ? error.get("code").asLong() : null;
        String message = error != null ? error.path("message").asText(null) : "HTTP " + status;
        String details =
                error != null ? error.path("error_data").path("details").asText(null) : null;
        String trace = error != null ? error.path("fbtrace_id").asText(null) : null;
        boolean retryable = GraphErrors.retryableStatus(status) || (code != null && GraphErrors.transientCode(code));
        return new GraphOutcome.Failure(status, code, message, details, trace, retryable, GraphErrors.reasonFor(code));
    }
}
