package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Parses and validates a POST /v1/calls body. Each failure is a 400 problem whose {@code code} is
 * stable and whose {@code detail} names the field (and for SDP, the line) that was wrong. Limits
 * mirror the VoiceCall CRD schema so Kubernetes never has to refuse what we accepted.
 */
public final class CallRequestParser {
    static final int MAX_SDP = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("^[0-9A-Za-z_-]{1,64}$");
    private static final Pattern SDP_LINE = Pattern.compile("^[a-z]=.*$");

    public CreateCallRequest parse(byte[] body) {
        JsonNode root = object(body);
        String callId = required(root, "callId", 512);
        String sdp = string(root, "sdpOffer", Integer.MAX_VALUE);
        if (sdp == null || sdp.isEmpty()) {
            throw new ProblemException(ProblemCode.MISSING_FIELD, "sdpOffer is required");
        }
        validateSdp(sdp);
        String phoneNumberId = phoneNumberId(root);
        var overrides = overrides(root);
        return new CreateCallRequest(
                callId,
                sdp,
                string(root, "from", 64),
                string(root, "to", 64),
                phoneNumberId,
                string(root, "agent", 253),
                overrides,
                acceptBy(string(root, "acceptBy", 16)),
                maxDuration(root.path("maxDurationSeconds")));
    }

    /** The body as a JSON object, else 400 malformed-json. */
    static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body could not be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body must be a JSON object");
        }
        return root;
    }

    /** {@code overrides: {instructions, voice, model}}, null when absent or empty. */
    static CreateCallRequest.Overrides overrides(JsonNode root) {
        JsonNode overridesNode = root.path("overrides");
        if (!overridesNode.isMissingNode() && !overridesNode.isNull() && !overridesNode.isObject()) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "overrides must be an object");
        }
        var overrides = new CreateCallRequest.Overrides(
                string(overridesNode, "overrides.instructions", "instructions", 32_768),
                string(overridesNode, "overrides.voice", "voice", 64),
                string(overridesNode, "overrides.model", "model", 128));
        return overrides.isEmpty() ? null : overrides;
    }

    /** A phone-number id as the CRD stores it, or null when absent. */
    static String phoneNumberId(JsonNode root) {
        String phoneNumberId = string(root, "phoneNumberId", 64);
        if (phoneNumberId != null && !PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD, "phoneNumberId may only hold letters, digits, _ and -");
        }
        return phoneNumberId;
    }

    /** RFC 8866 §5: an SDP description starts with {@code v=0}; each line is {@code <type>=<value>}. */
    static void validateSdp(String sdp) {
        if (sdp.length() > MAX_SDP) {
            throw new ProblemException(
                    ProblemCode.SDP_TOO_LARGE, "sdpOffer is " + sdp.length() + " characters, the limit is " + MAX_SDP);
        }
        String[] lines = sdp.split("\r?\n");
        if (!lines[0].equals("v=0")) {
            throw new ProblemException(
                    ProblemCode.INVALID_SDP, "sdpOffer line 1 must be \"v=0\", got \"" + abbreviate(lines[0]) + "\"");
        }
        boolean audio = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                continue;
            }
            if (!SDP_LINE.matcher(line).matches()) {
                throw new ProblemException(
                        ProblemCode.INVALID_SDP,
                        "sdpOffer line " + (i + 1) + " is not <type>=<value>: \"" + abbreviate(line) + "\"");
            }
            audio |= line.startsWith("m=audio ");
        }
        if (!audio) {
            throw new ProblemException(ProblemCode.INVALID_SDP, "sdpOffer has no m=audio line");
        }
    }

    private static AcceptBy acceptBy(String value) {
        if (value == null) {
            return AcceptBy.caller;
        }
        try {
            return AcceptBy.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD, "acceptBy must be caller, bridge or media, got " + abbreviate(value));
        }
    }

    static Integer maxDuration(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > 86_400) {
            throw new ProblemException(
                    ProblemCode.INVALID_FIELD, "maxDurationSeconds must be an integer from 1 to 86400");
        }
        return node.asInt();
    }

    static String required(JsonNode root, String field, int max) {
        String value = string(root, field, max);
        if (value == null || value.isBlank()) {
            throw new ProblemException(ProblemCode.MISSING_FIELD, field + " is required");
        }
        return value;
    }

    static String string(JsonNode root, String field, int max) {
        return string(root, field, field, max);
    }

    static String string(JsonNode parent, String label, String field, int max) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, label + " must be a string");
        }
        String value = node.asText();
        if (value.length() > max) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, label + " is longer than " + max + " characters");
        }
        return value;
    }

    static String abbreviate(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }
}
