package dev.voicebridge.operator.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.operator.observe.OperatorMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * WhatsApp Cloud API call actions over {@code java.net.http}: {@code POST
 * {base}/{version}/{phoneNumberId}/calls}. One {@link #send} is one attempt with a bounded
 * timeout; retries are the caller's, scheduled through the reconciler (never a sleep on a
 * reconcile thread) and counted in status so they survive a restart. The access token is passed
 * per call and never logged.
 */
public final class GraphClient {
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
        long started = System.nanoTime();
        GraphOutcome outcome = attempt(command, accessToken);
        metrics.graphRequest(command.action().wireName(), outcome, Duration.ofNanos(System.nanoTime() - started));
        return outcome;
    }

    private GraphOutcome attempt(GraphCommand command, String accessToken) {
        // Appended, not resolved: a base URL with a path (a proxy prefix) keeps it.
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUri + "/" + version + "/" + command.phoneNumberId() + "/calls"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(command)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new GraphOutcome.Failure(
                    0, null, "no answer within " + timeout, null, null, true, GraphErrors.reasonFor(null));
        } catch (IOException e) {
            return new GraphOutcome.Failure(
                    0,
                    null,
                    "transport: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    null,
                    null,
                    true,
                    GraphErrors.reasonFor(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GraphOutcome.Failure(0, null, "interrupted", null, null, true, GraphErrors.reasonFor(null));
        }
        return interpret(response.statusCode(), response.body());
    }

    byte[] body(GraphCommand command) {
        ObjectNode body = json.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("call_id", command.callId());
        body.put("action", command.action().wireName());
        if (command.action().carriesAnswer()) {
            // The SDP goes as a plain JSON string, CRLFs intact; never double-encoded.
            ObjectNode session = body.putObject("session");
            session.put("sdp_type", "answer");
            session.put("sdp", command.sdp());
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a Graph request", e);
        }
    }

    GraphOutcome interpret(int status, String body) {
        JsonNode parsed;
        try {
            parsed = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            parsed = null;
        }
        if (status / 100 == 2) {
            if (parsed != null && parsed.path("success").asBoolean(false)) {
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
