package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.util.regex.Pattern;

/**
 * Parses and validates a {@code POST /v1/calls/outbound} body. Each failure is a 400 problem
 * naming the field; limits mirror the CRD schema (and WhatsApp's: {@code biz_opaque_callback_data}
 * and the client's callback data at most 512 characters, a capture's purpose at most 250).
 */
public final class OutboundRequestParser {
    /** E.164 without the plus: country code and number, 7 to 15 digits. */
    private static final Pattern NUMBER = Pattern.compile("^\\+?[0-9]{7,15}$");
    /** A business-scoped user id, e.g. US.13491208655302741918 (the CRD's userId pattern). */
    private static final Pattern BSUID = Pattern.compile("^[0-9A-Za-z._-]{1,128}$");
    /** Idempotency keys: what fits in a VoiceCall's callId with its prefix. */
    static final Pattern KEY = Pattern.compile("^[0-9A-Za-z._:-]{1,200}$");

    private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2}(_[A-Z]{2})?$");

    /** @param idempotencyKey the {@code Idempotency-Key} header, or null */
    public OutboundCallRequest parse(byte[] body, String idempotencyKey) {
        JsonNode root = CallRequestParser.object(body);
        String to = CallRequestParser.string(root, "to", 32);
        String recipient = CallRequestParser.string(root, "recipient", 128);
        if (to == null && recipient == null) {
            throw new ProblemException(ProblemCode.MISSING_FIELD, "to (the user's number) or recipient is required");
        }
        if (to != null && !NUMBER.matcher(to).matches()) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "to must be a number of 7 to 15 digits");
        }
        if (recipient != null && !BSUID.matcher(recipient).matches()) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD, "recipient must be a business-scoped user id (letters, digits, . _ -)");
        }
        return new OutboundCallRequest(
                to == null ? null : to.startsWith("+") ? to.substring(1) : to,
                recipient,
                CallRequestParser.phoneNumberId(root),
                CallRequestParser.string(root, "agent", 253),
                CallRequestParser.overrides(root),
                CallRequestParser.maxDuration(root.path("maxDurationSeconds")),
                CallRequestParser.string(root, "callbackData", 512),
                capture(root, "recording"),
                capture(root, "transcription"),
                requestId(CallRequestParser.string(root, "requestId", 200), idempotencyKey));
    }

    private static String requestId(String body, String header) {
        if (body != null && header != null && !body.equals(header)) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD, "requestId and the Idempotency-Key header differ; send one of them");
        }
        String key = body != null ? body : header;
        if (key != null && !KEY.matcher(key).matches()) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD,
                    "the idempotency key (requestId, Idempotency-Key) must be 1 to 200 of letters, digits, . _ : -");
        }
        return key;
    }

    private static OutboundCallRequest.Capture capture(JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("enabled").isBoolean()) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, field + " must be an object with a boolean enabled");
        }
        boolean enabled = node.path("enabled").asBoolean();
        String purpose = CallRequestParser.string(node, field + ".purpose", "purpose", 250);
        String language = CallRequestParser.string(node, field + ".announcementLanguage", "announcementLanguage", 8);
        if (enabled && (purpose == null || purpose.isBlank())) {
            throw new ProblemException(
                    ProblemCode.MISSING_FIELD, field + ".purpose is required when enabled (WhatsApp announces it)");
        }
        if (enabled && (language == null || !LANGUAGE.matcher(language).matches())) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD, field + ".announcementLanguage must be a locale such as en_US or es");
        }
        return new OutboundCallRequest.Capture(enabled, purpose, language);
    }
}
