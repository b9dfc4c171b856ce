package dev.voicebridge.worker.app;

import dev.voicebridge.helidon.problem.Problem;
import dev.voicebridge.helidon.server.ServerProblems;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The worker's problem+json codes for what its HTTP server (health and metrics only) refuses by
 * itself. Documented in docs/media-worker.md (a test keeps the table and {@link Code} in step).
 */
@ApplicationScoped
public class WorkerServerProblems implements ServerProblems {
    /** Stable codes: clients and dashboards may switch on them, so a value never changes meaning. */
    public enum Code {
        MALFORMED_REQUEST(400, "malformed-request", "The HTTP request is malformed"),
        NOT_FOUND(404, "not-found", "No such endpoint"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this endpoint"),
        BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
        URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
        HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large"),
        REQUEST_REFUSED(400, "request-refused", "The HTTP layer refused the request"),
        INTERNAL(500, "internal", "Internal error"),
        OVERLOADED(503, "overloaded", "Too many concurrent requests"),
        HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "Only HTTP/1.1 is served");

        private final int status;
        private final String code;
        private final String title;

        Code(int status, String code, String title) {
            this.status = status;
            this.code = code;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public String title() {
            return title;
        }

        /** One code per status Helidon is known to choose; other 4xx: request-refused, 5xx: internal. */
        static Code forHttpStatus(int status) {
            return switch (status) {
                case 400 -> MALFORMED_REQUEST;
                case 404 -> NOT_FOUND;
                case 405 -> METHOD_NOT_ALLOWED;
                case 413 -> BODY_TOO_LARGE;
                case 414 -> URI_TOO_LONG;
                case 431 -> HEADERS_TOO_LARGE;
                case 503 -> OVERLOADED;
                case 505 -> HTTP_VERSION_NOT_SUPPORTED;
                default -> status >= 400 && status < 500 ? REQUEST_REFUSED : INTERNAL;
            };
        }
    }

    @Override
    public Problem problem(Refusal refusal, int status) {
        Code code =
                switch (refusal) {
                    case MALFORMED -> Code.MALFORMED_REQUEST;
                    case HEADERS_TOO_LARGE -> Code.HEADERS_TOO_LARGE;
                    case STATUS -> Code.forHttpStatus(status);
                };
        int sent = code == Code.REQUEST_REFUSED ? status : code.status();
        String detail = code == Code.INTERNAL ? "unexpected error, see the worker's log" : code.title();
        return Problem.of(code.code(), code.title(), sent, detail, null);
    }
}
