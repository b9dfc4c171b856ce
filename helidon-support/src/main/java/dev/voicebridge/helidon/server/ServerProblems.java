package dev.voicebridge.helidon.server;

import dev.voicebridge.helidon.problem.Problem;

/**
 * A service's problem+json answers for the errors its HTTP server answers by itself, before or
 * outside any route of the service: what it could not parse, what is above its size limits, an
 * HTTP version it does not serve, a path no route serves. Each service keeps its own codes
 * (documented with the service) and provides one of these as a CDI bean; {@link
 * DirectProblemHandler} says only what happened.
 */
public interface ServerProblems {
    /** What the HTTP layer refused, as far as it tells. */
    enum Refusal {
        /**
         * The request line or headers could not be formed: unparseable, or the connection failed
         * or timed out while they were read (Helidon reports some of these as a 500; no route ran,
         * so it is the client's doing).
         */
        MALFORMED,
        /** The header section is larger than {@code max-headers-size}. */
        HEADERS_TOO_LARGE,
        /** Helidon chose this status itself, with nothing more said (404, 405, 413, 414, 505, ...). */
        STATUS
    }

    /**
     * The problem to answer; its {@link Problem#status()} is the status sent. A 500 is our own
     * bug (logged with its stack trace); anything else is the client's (one rate-limited line).
     */
    Problem problem(Refusal refusal, int status);
}
