package dev.voicebridge.operator.gc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before an ended call is deleted, its final status is written as one JSON line on the
 * {@code voicebridge.calls.final} logger, so log pipelines keep the call record after the resource
 * is gone. The SDP answer (ICE credentials) is always left out, the caller appears only masked. At
 * INFO the line also leaves out what the caller said or keyed in and where from: the transcript
 * (its line count stays), the DTMF digits (their count stays), the selected candidate pair (the
 * caller's address), Graph's free-text error message and details, and the raw WhatsApp call id
 * (the resource name is its hash). With the logger at DEBUG (opt-in) the line keeps the call id and
 * the transcript instead.
 */
public final class FinalStatusLog {
    public static final String LOGGER = "voicebridge.calls.final";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final ObjectMapper json = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    /** The line logged at INFO. */
    public String line(VoiceCall call) {
        ObjectNode record = record(call, false);
        if (record.get("status") instanceof ObjectNode status) {
            if (status.get("agent") instanceof ObjectNode agent
                    && agent.remove("transcript") instanceof JsonNode lines) {
                agent.put("transcriptLines", lines.size());
            }
            if (status.get("media") instanceof ObjectNode media) {
                media.remove("selectedPair");
            }
            if (status.at("/whatsapp/lastError") instanceof ObjectNode error) {
                error.remove("message");
                error.remove("details");
            }
        }
        return record.toString();
    }

    /** The line logged instead when the logger is at DEBUG: with the call id and the transcript. */
    public String debugLine(VoiceCall call) {
        return record(call, true).toString();
    }

    private ObjectNode record(VoiceCall call, boolean withCallId) {
        ObjectNode record = json.createObjectNode();
        record.put("event", "voicecall.final");
        record.put("namespace", call.getMetadata().getNamespace());
        record.put("name", call.getMetadata().getName());
        // The key every per-call line carries (LogLine.CALL), so one grep finds this line too.
        record.put(LogLine.CALL, call.getMetadata().getName());
        if (withCallId) {
            record.put("callId", call.getSpec().getCallId());
        }
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
        return record;
    }

    public void emit(VoiceCall call) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(debugLine(call));
        } else {
            LOG.info(line(call));
        }
    }
}
