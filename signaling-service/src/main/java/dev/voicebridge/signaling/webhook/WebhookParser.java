package dev.voicebridge.signaling.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.GraphError;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a webhook body into events: every {@code entry[].changes[].value.calls[]} and
 * {@code statuses[]} of type call, in body order. Tolerant by design: unknown fields are skipped
 * (usernames and parent business-scoped ids among them), numbers may come as strings (the {@code
 * timestamp} is a string in real traffic, an integer in Meta's docs), {@code from} may be absent
 * (a user known only by business-scoped id). Only a body that is not a JSON object fails.
 */
public final class WebhookParser {
    static final long MAX_EPOCH_SECONDS = 253_402_300_799L;
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("^[+-]?[0-9]{1,400}$");
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    public List<WebhookEvent> parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new ProblemException(
                    ProblemCode.MALFORMED_JSON,
                    "body is not valid JSON"
                            + (location == null
                                    ? ""
                                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body could not be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body must be a JSON object");
        }
        List<WebhookEvent> events = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                String phoneNumberId = text(value.path("metadata").path("phone_number_id"));
                for (JsonNode call : value.path("calls")) {
                    events.add(call(call, value, phoneNumberId));
                }
                for (JsonNode status : value.path("statuses")) {
                    if ("call".equalsIgnoreCase(text(status.path("type")))) {
                        events.add(new WebhookEvent.CallStatus(
                                text(status.path("id")),
                                phoneNumberId,
                                upper(text(status.path("status"))),
                                epochSeconds(status.path("timestamp"), "statuses[].timestamp"),
                                text(status.path("recipient_id")),
                                text(status.path("recipient_user_id")),
                                text(status.path("biz_opaque_callback_data"))));
                    }
                }
            }
        }
        return events;
    }

    private static WebhookEvent call(JsonNode call, JsonNode value, String phoneNumberId) {
        String id = text(call.path("id"));
        String event = text(call.path("event"));
        Instant timestamp = epochSeconds(call.path("timestamp"), "calls[].timestamp");
        String kind = event == null ? "" : event.toLowerCase(Locale.ROOT);
        String direction = upper(text(call.path("direction")));
        String callback = text(call.path("biz_opaque_callback_data"));
        // The user's business-scoped id: the caller's inbound, the callee's outbound.
        String userId = "BUSINESS_INITIATED".equals(direction)
                ? text(call.path("to_user_id"))
                : text(call.path("from_user_id"));
        return switch (kind) {
            case "connect" ->
                new WebhookEvent.Connect(
                        id,
                        phoneNumberId,
                        text(call.path("from")),
                        text(call.path("to")),
                        timestamp,
                        direction,
                        text(call.path("session").path("sdp_type")),
                        text(call.path("session").path("sdp")),
                        userId,
                        callback);
            case "terminate" ->
                new WebhookEvent.Terminate(
                        id,
                        phoneNumberId,
                        text(call.path("from")),
                        text(call.path("to")),
                        timestamp,
                        upper(terminateStatus(call.path("status"))),
                        epochSeconds(call.path("start_time"), "calls[].start_time"),
                        epochSeconds(call.path("end_time"), "calls[].end_time"),
                        number(call.path("duration")),
                        errors(call.path("errors"), value.path("errors")),
                        direction,
                        userId,
                        callback);
            case "call_recording_available" ->
                media(
                        WebhookEvent.MediaAvailable.Kind.RECORDING,
                        call.path("call_recording").path("audio"),
                        call,
                        phoneNumberId,
                        timestamp);
            case "call_transcription_available" ->
                media(
                        WebhookEvent.MediaAvailable.Kind.TRANSCRIPT,
                        call.path("call_transcript").path("document"),
                        call,
                        phoneNumberId,
                        timestamp);
            default -> new WebhookEvent.Unsupported(kind.isEmpty() ? "missing-event" : kind, id, timestamp);
        };
    }

    /** Where the media is: its id, type and hash. The short-lived URL is not kept (the id outlives it). */
    private static WebhookEvent media(
            WebhookEvent.MediaAvailable.Kind kind, JsonNode media, JsonNode call, String phoneNumberId, Instant at) {
        return new WebhookEvent.MediaAvailable(
                kind,
                text(call.path("id")),
                phoneNumberId,
                at,
                clip(text(media.path("id")), 128),
                clip(text(media.path("mime_type")), 128),
                clip(text(media.path("sha256")), 128),
                text(call.path("biz_opaque_callback_data")));
    }

    /**
     * The terminate status: a string in real traffic, though Meta's own sample of a
     * business-initiated terminate shows an array ({@code ["Failed", "Completed"]}); the first
     * element is taken then.
     */
    private static String terminateStatus(JsonNode status) {
        return status.isArray() ? text(status.path(0)) : text(status);
    }

    /** Call-level and value-level errors; the same error reported at both levels is kept once. */
    private static List<GraphError> errors(JsonNode callErrors, JsonNode valueErrors) {
        Map<String, GraphError> unique = new LinkedHashMap<>();
        for (JsonNode list : List.of(callErrors, valueErrors)) {
            for (JsonNode e : list) {
                var error = new GraphError();
                error.setCode(number(e.path("code")));
                error.setMessage(clip(text(e.path("message")), 2048));
                error.setDetails(clip(text(e.path("error_data").path("details")), 2048));
                error.setFbtraceId(clip(text(e.path("fbtrace_id")), 128));
                unique.putIfAbsent(error.getCode() + "|" + error.getMessage() + "|" + error.getDetails(), error);
            }
        }
        return unique.isEmpty() ? null : List.copyOf(unique.values());
    }

    /**
     * Seconds since 1970 as an Instant. Absent or not a number: null (tolerated, never stale). A
     * number outside 0 .. {@value #MAX_EPOCH_SECONDS} (year 9999, the last an RFC 3339 timestamp
     * in Kubernetes can hold) refuses the whole delivery with 400 {@code invalid-timestamp}: it
     * cannot be stored or compared, and a 400 tells WhatsApp not to redeliver it.
     */
    static Instant epochSeconds(JsonNode node, String field) {
        BigInteger seconds = integer(node);
        if (seconds == null) {
            return null;
        }
        if (seconds.signum() < 0 || seconds.compareTo(BigInteger.valueOf(MAX_EPOCH_SECONDS)) > 0) {
            throw new ProblemException(
                    ProblemCode.INVALID_TIMESTAMP,
                    field + " is outside 0.." + MAX_EPOCH_SECONDS + " seconds since 1970");
        }
        return Instant.ofEpochSecond(seconds.longValueExact());
    }

    private static BigInteger integer(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isTextual() && INTEGER.matcher(node.asText().trim()).matches()) {
            return new BigInteger(node.asText().trim());
        }
        return null;
    }

    static Long number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
