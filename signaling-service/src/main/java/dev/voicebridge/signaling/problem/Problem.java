package dev.voicebridge.signaling.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RFC 9457 problem details plus our stable {@code code}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(ProblemCode code, String detail, String instance) {
        return of(code, code.status(), detail, instance);
    }

    /** For {@link ProblemCode#REQUEST_REFUSED}, which travels with the status the HTTP layer chose. */
    public static Problem of(ProblemCode code, int status, String detail, String instance) {
        return new Problem(
                "https://voicebridge.dev/problems/" + code.code(), code.title(), status, detail, code.code(), instance);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record always serializes", e);
        }
    }
}
