package dev.voicebridge.worker.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * OpenAI refused to create the model's session, or answered with something that is not one. Its
 * text carries the status and OpenAI's error code and message, never the request's key.
 */
public final class ModelCallRefusedException extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 300;

    private final int status;
    private final String code;

    ModelCallRefusedException(int status, String code, String message) {
        super("model call refused (" + status + ", " + code + "): " + message);
        this.status = status;
        this.code = code;
    }

    /** From an error response: OpenAI's error object's code (or type) and message when it has one. */
    static ModelCallRefusedException of(int status, String body) {
        String code = "http-" + status;
        String message = "no error detail";
        try {
            JsonNode error = JSON.readTree(body == null ? "" : body).path("error");
            if (error.isObject()) {
                code = error.path("code").asText(error.path("type").asText(code));
                message = error.path("message").asText(message);
            }
        } catch (IOException | RuntimeException notJson) {
            // a proxy's page, not OpenAI's error object: the status says enough
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        }
        return new ModelCallRefusedException(status, code, message);
    }

    /** The HTTP status; 0 when the response itself was unusable. */
    public int status() {
        return status;
    }

    /**
     * OpenAI's error code, or ours for an unusable response ({@code no-call-id}, {@code not-sdp},
     * {@code unusable-answer}).
     */
    public String code() {
        return code;
    }
}
