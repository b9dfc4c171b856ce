package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The {@code calls} webhooks of business-initiated calls and of WhatsApp's call media, in the
 * shapes of developers.facebook.com business-messaging/whatsapp/calling (business-initiated-calls:
 * "Call connect webhook", "Call status webhook", "Call terminate webhook"; call-recording and
 * call-transcription: the "...-available webhook"), timestamps as strings as real traffic sends
 * them.
 */
public final class CallWebhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The business's display number in the webhooks' metadata. */
    static final String BUSINESS_NUMBER = "15550001906";

    private CallWebhooks() {}

    /** The connect webhook carrying WhatsApp's SDP answer to the business's offer. */
    public static ObjectNode answer(OutboundCall call, String sdpAnswer) {
        ObjectNode root = envelope(call.phoneNumberId());
        ObjectNode value = value(root);
        ObjectNode c = value.putArray("calls").addObject();
        c.put("id", call.callId());
        userFields(c, "to", call);
        c.put("from", BUSINESS_NUMBER);
        c.put("event", "connect");
        c.put("timestamp", now());
        c.put("direction", "BUSINESS_INITIATED");
        if (call.bizOpaqueCallbackData() != null) {
            c.put("biz_opaque_callback_data", call.bizOpaqueCallbackData());
        }
        c.putObject("session").put("sdp_type", "answer").put("sdp", sdpAnswer);
        contacts(value, call);
        return root;
    }

    /** A call status webhook: RINGING, ACCEPTED or REJECTED. */
    public static ObjectNode status(OutboundCall call, String status) {
        ObjectNode root = envelope(call.phoneNumberId());
        ObjectNode s = value(root).putArray("statuses").addObject();
        s.put("id", call.callId());
        s.put("timestamp", now());
        s.put("type", "call");
        s.put("status", status);
        if (call.to() != null) {
            s.put("recipient_id", call.to());
        }
        s.put("recipient_user_id", userId(call));
        if (call.bizOpaqueCallbackData() != null) {
            s.put("biz_opaque_callback_data", call.bizOpaqueCallbackData());
        }
        return root;
    }

    /**
     * The terminate webhook of a business-initiated call; {@code acceptedAt} null for a call
     * nobody picked up (no start_time, end_time or duration then, as documented).
     */
    public static ObjectNode terminate(OutboundCall call, String status, Instant acceptedAt) {
        ObjectNode root = envelope(call.phoneNumberId());
        ObjectNode value = value(root);
        ObjectNode c = value.putArray("calls").addObject();
        c.put("id", call.callId());
        userFields(c, "to", call);
        c.put("from", BUSINESS_NUMBER);
        c.put("event", "terminate");
        c.put("direction", "BUSINESS_INITIATED");
        if (call.bizOpaqueCallbackData() != null) {
            c.put("biz_opaque_callback_data", call.bizOpaqueCallbackData());
        }
        long now = Instant.now().getEpochSecond();
        c.put("timestamp", Long.toString(now));
        c.put("status", status);
        if (acceptedAt != null) {
            c.put("start_time", Long.toString(acceptedAt.getEpochSecond()));
            c.put("end_time", Long.toString(now));
            c.put("duration", Math.max(0, now - acceptedAt.getEpochSecond()));
        }
        contacts(value, call);
        return root;
    }

    /** call_recording_available: the recording of a call is ready (media id, sha256, URL). */
    public static ObjectNode recordingAvailable(
            String phoneNumberId, String callId, String user, String mediaId, String sha256, String url) {
        ObjectNode root = envelope(phoneNumberId);
        ObjectNode c = mediaCall(value(root), callId, user, "call_recording_available");
        ObjectNode audio = c.putObject("call_recording").put("type", "audio").putObject("audio");
        audio.put("id", mediaId).put("sha256", sha256).put("mime_type", "audio/ogg; codecs=opus");
        audio.put("url", url);
        return root;
    }

    /** call_transcription_available: the transcript document of a call is ready. */
    public static ObjectNode transcriptAvailable(
            String phoneNumberId, String callId, String user, String mediaId, String sha256, String url) {
        ObjectNode root = envelope(phoneNumberId);
        ObjectNode c = mediaCall(value(root), callId, user, "call_transcription_available");
        ObjectNode document = c.putObject("call_transcript").putObject("document");
        document.put("id", mediaId).put("sha256", sha256).put("mime_type", "application/json");
        document.put("url", url);
        return root;
    }

    private static ObjectNode mediaCall(ObjectNode value, String callId, String user, String event) {
        ObjectNode c = value.putArray("calls").addObject();
        c.put("id", callId);
        c.put("from", user);
        c.put("from_user_id", "US.1" + Math.abs(user.hashCode()) + "0000000001");
        c.put("timestamp", now());
        c.put("event", event);
        return c;
    }

    private static void userFields(ObjectNode c, String field, OutboundCall call) {
        if (call.to() != null) {
            c.put(field, call.to());
        }
        c.put(field + "_user_id", userId(call));
    }

    private static void contacts(ObjectNode value, OutboundCall call) {
        ObjectNode contact = value.putArray("contacts").addObject();
        contact.putObject("profile").put("name", "Test User").put("username", "test.user");
        if (call.to() != null) {
            contact.put("wa_id", call.to());
        }
        contact.put("user_id", userId(call));
    }

    /** The callee's BSUID: the recipient when the business called by BSUID, else one made up for the number. */
    private static String userId(OutboundCall call) {
        return call.recipient() != null
                ? call.recipient()
                : "US.1" + Math.abs(call.to().hashCode()) + "0000000001";
    }

    private static ObjectNode envelope(String phoneNumberId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry")
                .addObject()
                .put("id", "366634483210360")
                .putArray("changes")
                .addObject();
        change.put("field", "calls");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", BUSINESS_NUMBER).put("phone_number_id", phoneNumberId);
        return root;
    }

    private static ObjectNode value(ObjectNode root) {
        return (ObjectNode) root.path("entry").get(0).path("changes").get(0).path("value");
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }
}
