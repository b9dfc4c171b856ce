package dev.voicebridge.signaling.problem;

/**
 * The one exception family the service throws for a client-visible failure. Its
 * {@link ProblemCode} becomes the HTTP status and the problem's {@code code}; {@code detail} says
 * what exactly was wrong and must never carry a secret or a full phone number.
 */
public class ProblemException extends RuntimeException {
    private final ProblemCode code;
    private final Integer retryAfterSeconds;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, null, null);
    }

    public ProblemException(ProblemCode code, String detail, Integer retryAfterSeconds, Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemCode code() {
        return code;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
