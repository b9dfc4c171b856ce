package dev.voicebridge.testkit.graph;

import java.time.Duration;

/** A failure the fake Graph API injects into the next requests, whatever they contain. */
public sealed interface GraphFault {

    /** Answer with this HTTP status and a Graph error envelope (code 1, "An unknown error occurred"). */
    record ServerError(int status) implements GraphFault {}

    /** Answer HTTP 400 with a Graph error envelope carrying this code, e.g. 138002 (concurrency limit). */
    record GraphErrorCode(int status, long code, String message) implements GraphFault {}

    /** Hold the response this long before answering success, to trip a client timeout. */
    record Delay(Duration delay) implements GraphFault {}

    /** HTTP 429 with Graph's rate-limit code 4. */
    record RateLimited() implements GraphFault {}
}
