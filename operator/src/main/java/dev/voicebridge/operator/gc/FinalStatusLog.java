package dev.voicebridge.operator.gc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before an ended call is deleted, its final status is written as one JSON line on the
 * {@code voicebridge.calls.final} logger, so log pipelines keep the call record after the resource
 * is gone. The SDP answer (ICE credentials) is left out; the caller appears only masked.
 */
public final class FinalStatusLog {
    public static final String LOGGER = "voicebridge.calls.final";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final ObjectMapper json = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    /** The line that {@link #emit} logs. */
    public String line(VoiceCall call) {
        ObjectNode record = json.createObjectNode();
        record.put("event", "voicecall.final");
        record.put("namespace", call.getMetadata().getNamespace());
        record.put("name", call.getMetadata().getName());
        record.put("callId", call.getSpec().getCallId());
        record.put("source", String.valueOf(call.getSpec().getSource()));
        record.put("acceptBy", String.valueOf(call.getSpec().getAcceptBy()));
        record.put("caller", call.getSpec().getCallerDisplay());
        record.put("agent", call.getSpec().getAgentRef());
        record.put("createdAt", call.getMetadata().getCreationTimestamp());
        ObjectNode status = json.valueToTree(call.getStatus());
        if (status != null && status.get("media") instanceof ObjectNode media) {
            media.remove("sdpAnswer");
        }
        record.set("status", status);
        return record.toString();
    }

    public void emit(VoiceCall call) {
        LOG.info(line(call));
    }
}
