package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The body rules of {@code POST /{phone-number-id}/calls} as Graph enforces them (a violation is
 * error 100, "Invalid parameter", with the reason in {@code error_data.details}), and the one piece
 * of state they need: accept must carry the bytes pre_accept carried.
 */
final class CallActionRules {
    static final Set<String> ACTIONS = Set.of("pre_accept", "accept", "reject", "terminate", "connect");
    private static final int MAX_OPAQUE = 512;
    private static final int MAX_PURPOSE = 250;
    private static final java.util.regex.Pattern LANGUAGE = java.util.regex.Pattern.compile("^[a-z]{2}(_[A-Z]{2})?$");

    /** pre_accept SDP per phone-number id and call id, to check accept's bytes against. */
    private final Map<String, String> preAcceptedSdp = new ConcurrentHashMap<>();

    void reset() {
        preAcceptedSdp.clear();
    }

    /** The reason the body is refused (error 100), or null when it is valid. */
    String problem(JsonNode body, String phoneNumberId, String callId, String action, String sdp) {
        if (!"whatsapp".equals(FakeGraphApi.text(body, "messaging_product"))) {
            return "messaging_product must be \"whatsapp\"";
        }
        if (action == null || !ACTIONS.contains(action)) {
            return "action must be one of " + ACTIONS;
        }
        if (!action.equals("connect") && (callId == null || callId.isBlank())) {
            return "call_id is required";
        }
        String opaque = FakeGraphApi.text(body, "biz_opaque_callback_data");
        if (opaque != null && opaque.length() > MAX_OPAQUE) {
            return "biz_opaque_callback_data longer than 512 characters";
        }
        for (String capture : new String[] {"recording", "transcription"}) {
            String problem = captureProblem(capture, body.get(capture));
            if (problem != null) {
                return problem;
            }
        }
        String key = phoneNumberId + "/" + callId;
        return switch (action) {
            case "pre_accept", "accept" -> answerProblem(body, key, action, sdp);
            case "connect" -> connectProblem(body, sdp);
            default -> null; // reject and terminate carry no session.
        };
    }

    private String answerProblem(JsonNode body, String key, String action, String sdp) {
        JsonNode session = body.get("session");
        if (session == null || !session.isObject()) {
            return "session is required for " + action;
        }
        if (!"answer".equals(FakeGraphApi.text(session, "sdp_type"))) {
            return "session.sdp_type must be \"answer\"";
        }
        String problem = sdpProblem(sdp);
        if (problem != null) {
            return problem;
        }
        if (action.equals("pre_accept")) {
            String earlier = preAcceptedSdp.putIfAbsent(key, sdp);
            return earlier != null && !earlier.equals(sdp) ? "SDP differs from the earlier pre_accept" : null;
        }
        String preAccepted = preAcceptedSdp.get(key);
        return preAccepted != null && !preAccepted.equals(sdp)
                ? "accept SDP is not identical to the pre_accept SDP"
                : null;
    }

    private static String connectProblem(JsonNode body, String sdp) {
        if (FakeGraphApi.text(body, "call_id") != null) {
            return "connect starts a new call: call_id must not be given";
        }
        if (FakeGraphApi.text(body, "to") == null && FakeGraphApi.text(body, "recipient") == null) {
            return "to (or recipient) is required for connect";
        }
        if (!"offer".equals(FakeGraphApi.text(body.get("session"), "sdp_type"))) {
            return "session.sdp_type must be \"offer\" for connect";
        }
        return sdpProblem(sdp);
    }

    /** The {@code recording} / {@code transcription} object (call-recording, call-transcription pages). */
    private static String captureProblem(String field, JsonNode capture) {
        if (capture == null || capture.isNull()) {
            return null;
        }
        if (!capture.isObject()) {
            return field + " must be an object";
        }
        String status = FakeGraphApi.text(capture, "status");
        if (!"ENABLED".equals(status) && !"DISABLED".equals(status)) {
            return field + ".status must be ENABLED or DISABLED";
        }
        if (status.equals("DISABLED")) {
            return null;
        }
        String purpose = FakeGraphApi.text(capture, "purpose");
        if (purpose == null || purpose.isBlank()) {
            return field + ".purpose is required when status is ENABLED";
        }
        if (purpose.length() > MAX_PURPOSE) {
            return field + ".purpose exceeds 250 characters";
        }
        String language = FakeGraphApi.text(capture, "announcement_language");
        return language == null || !LANGUAGE.matcher(language).matches()
                ? field + ".announcement_language is not a supported locale code"
                : null;
    }

    /** WhatsApp wants a plain JSON string with CRLF line endings and a trailing CRLF. */
    static String sdpProblem(String sdp) {
        if (sdp == null || sdp.isEmpty()) {
            return "session.sdp is required";
        }
        if (!sdp.startsWith("v=0")) {
            return "session.sdp must start with v=0";
        }
        for (int i = 0; i < sdp.length(); i++) {
            if (sdp.charAt(i) == '\n' && (i == 0 || sdp.charAt(i - 1) != '\r')) {
                return "session.sdp has a bare LF at offset " + i + "; lines must end with CRLF";
            }
        }
        if (!sdp.endsWith("\r\n")) {
            return "session.sdp must end with CRLF";
        }
        return null;
    }
}
