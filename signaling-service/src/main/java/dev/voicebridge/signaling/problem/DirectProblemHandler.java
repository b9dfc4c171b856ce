package dev.voicebridge.signaling.problem;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.signaling.telemetry.RateLimitedLog;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers, as problem+json with a documented code, what Helidon answers before or outside any
 * resource: a request line or header it cannot parse, a request line or header section above the
 * configured size, a body above {@code server.max-payload-size}, HTTP/1.0, and a path no route
 * serves. Without it those are empty or text/plain bodies.
 */
public final class DirectProblemHandler implements DirectHandler {
    private static final Logger LOG = Logger.getLogger(DirectProblemHandler.class.getName());
    private static final RateLimitedLog REFUSED = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));
    /** Helidon's (safe) message when the header section exceeds max-headers-size; it answers 400. */
    static final String HEADER_SIZE_EXCEEDED = "Header size exceeded";

    /**
     * Connection level: Helidon's HTTP/1 connection calls this when it cannot even form a request
     * (parse errors, size limits). No route ran, so a 500 here is Helidon refusing what it parsed
     * (a method token with control characters, say), i.e. the client's malformed request.
     */
    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders headers,
            String message) {
        ProblemCode code;
        if (HEADER_SIZE_EXCEEDED.equals(message)) {
            code = ProblemCode.HEADERS_TOO_LARGE;
        } else if (defaultStatus.code() == 500) {
            code = ProblemCode.MALFORMED_REQUEST;
        } else {
            code = ProblemCode.forHttpStatus(defaultStatus.code());
        }
        refused(code, defaultStatus.code());
        return respond(code, defaultStatus.code(), headers);
    }

    /**
     * Routing level: a route (or the end of the routes) failed with {@code thrown}. A 500 here is
     * a bug of ours or of Helidon's: logged with its stack trace, unlike client errors.
     */
    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders headers,
            Throwable thrown) {
        ProblemCode code = ProblemCode.forHttpStatus(defaultStatus.code());
        if (code == ProblemCode.INTERNAL) {
            LOG.log(
                    Level.WARNING,
                    LogLine.of("request.failed", "layer", "http", "status", defaultStatus.code()),
                    thrown);
        } else {
            refused(code, defaultStatus.code());
        }
        return respond(code, defaultStatus.code(), headers);
    }

    private static int sent(ProblemCode code, int status) {
        return code == ProblemCode.REQUEST_REFUSED ? status : code.status();
    }

    private static void refused(ProblemCode code, int status) {
        REFUSED.log(
                Level.INFO,
                "request.refused.http",
                () -> LogLine.of(
                        "request.refused", "layer", "http", "status", sent(code, status), "code", code.code()));
    }

    private static TransportResponse respond(ProblemCode code, int status, ServerResponseHeaders headers) {
        int sent = sent(code, status);
        return TransportResponse.builder()
                .status(Status.create(sent))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(Problem.of(code, sent, detail(code), null).toJson())
                .build();
    }

    private static String detail(ProblemCode code) {
        return switch (code) {
            case MALFORMED_REQUEST -> "the request line or a header could not be parsed";
            case HEADERS_TOO_LARGE -> "the header section is larger than this server accepts";
            case URI_TOO_LONG -> "the request line is longer than this server accepts";
            case BODY_TOO_LARGE -> "the body is larger than this server accepts";
            case HTTP_VERSION_NOT_SUPPORTED -> "use HTTP/1.1";
            case NOT_FOUND -> "no such endpoint";
            case INTERNAL -> "unexpected error, see service logs";
            default -> code.title();
        };
    }
}
