package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One answer of the fake Graph API: status, JSON body, the Graph error code (null on success) and
 * the call id a {@code connect} created (to list the request under). Builds Graph's shapes: the
 * {@code success} object and the error envelope ({@code message}, {@code type}, {@code code},
 * {@code error_data.details}, {@code fbtrace_id}).
 */
record GraphReply(int status, ObjectNode body, Long errorCode, String callId) {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TRACE_IDS = new AtomicLong();

    GraphReply(int status, ObjectNode body, Long errorCode) {
        this(status, body, errorCode, null);
    }

    static GraphReply ok(ObjectNode body) {
        return new GraphReply(200, body, null);
    }

    static GraphReply success() {
        ObjectNode ok = JSON.createObjectNode();
        ok.put("messaging_product", "whatsapp");
        ok.put("success", true);
        return ok(ok);
    }

    static GraphReply invalid(int status, long code, String message, String details) {
        return new GraphReply(status, error(code, message, details), code);
    }

    static ObjectNode error(long code, String message, String details) {
        ObjectNode envelope = JSON.createObjectNode();
        ObjectNode error = envelope.putObject("error");
        error.put("message", message);
        error.put("type", code == 190 ? "OAuthException" : "GraphMethodException");
        error.put("code", code);
        if (details != null) {
            ObjectNode data = error.putObject("error_data");
            data.put("messaging_product", "whatsapp");
            data.put("details", details);
        }
        error.put("fbtrace_id", "FakeTrace" + TRACE_IDS.incrementAndGet());
        return envelope;
    }
}
