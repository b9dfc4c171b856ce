package dev.voicebridge.signaling.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details plus our stable {@code code}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemCode code, String detail, String instance) {
        return new Problem(
                "https://voicebridge.dev/problems/" + code.code(),
                code.title(),
                code.status(),
                detail,
                code.code(),
                instance);
    }
}
