package dev.voicebridge.helidon.server;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.helidon.log.RateLimitedLog;
import dev.voicebridge.helidon.problem.Problem;
import dev.voicebridge.helidon.server.ServerProblems.Refusal;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers, as problem+json with the service's documented code ({@link ServerProblems}), what
 * Helidon answers before or outside any route: a request line or header it cannot parse, a
 * request line or header section above the configured size, a body above {@code
 * server.max-payload-size}, HTTP/1.0, a path no route serves. Without it those are empty or
 * text/plain bodies, and a connection that breaks while its headers are read is a 500 with a
 * stack trace in the log.
 */
final class DirectProblemHandler implements DirectHandler {
    private static final Logger LOG = Logger.getLogger(DirectProblemHandler.class.getName());
    private static final RateLimitedLog REFUSED = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));
    /** Helidon's (safe) message when the header section exceeds max-headers-size; it answers 400. */
    static final String HEADER_SIZE_EXCEEDED = "Header size exceeded";

    private final ServerProblems problems;

    DirectProblemHandler(ServerProblems problems) {
        this.problems = problems;
    }

    /**
     * Connection level: Helidon's HTTP/1 connection calls this when it cannot even form a request
     * (parse errors, size limits, a read that failed or timed out). No route ran, so a 500 here is
     * Helidon refusing what it read (a method token with control characters, a client gone in
     * the middle of its headers), i.e. the client's malformed request.
     */
    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders headers,
            String message) {
        Refusal refusal;
        if (HEADER_SIZE_EXCEEDED.equals(message)) {
            refusal = Refusal.HEADERS_TOO_LARGE;
        } else if (defaultStatus.code() == 500) {
            refusal = Refusal.MALFORMED;
        } else {
            refusal = Refusal.STATUS;
        }
        Problem problem = problems.problem(refusal, defaultStatus.code());
        refused(problem);
        return respond(problem, headers);
    }

    /**
     * Routing level: a route (or the end of the routes) failed with {@code thrown}. A 500 here is
     * a bug of ours or of Helidon's, logged with its stack trace — unless the client went away
     * while it was answered, which is no bug.
     */
    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders headers,
            Throwable thrown) {
        Problem problem = problems.problem(Refusal.STATUS, defaultStatus.code());
        if (problem.status() != 500) {
            refused(problem);
        } else if (ClientGoneLogFilter.clientGone(thrown)) {
            ClientGoneLogFilter.logGone(thrown);
        } else {
            LOG.log(
                    Level.WARNING,
                    LogLine.of("request.failed", "layer", "http", "status", defaultStatus.code()),
                    thrown);
        }
        return respond(problem, headers);
    }

    private static void refused(Problem problem) {
        REFUSED.log(
                Level.INFO,
                "request.refused.http",
                () -> LogLine.of(
                        "request.refused", "layer", "http", "status", problem.status(), "code", problem.code()));
    }

    private static TransportResponse respond(Problem problem, ServerResponseHeaders headers) {
        return TransportResponse.builder()
                .status(Status.create(problem.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(problem.toJson())
                .build();
    }
}
