package dev.voicebridge.signaling.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The 200 body: how many events the delivery held and what became of them (for debugging). */
public record WebhookReceipt(int events, Map<String, Integer> outcomes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a receipt always serializes", e);
        }
    }
}
