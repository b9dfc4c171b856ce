package dev.voicebridge.helidon.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * RFC 9457 problem details plus our stable {@code code}: the body of every error response of
 * every voicebridge HTTP service. The codes themselves belong to each service (documented with
 * it); {@code type} is derived from the code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(String code, String title, int status, String detail, String instance) {
        return new Problem("https://voicebridge.dev/problems/" + code, title, status, detail, code, instance);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record always serializes", e);
        }
    }
}
