package dev.voicebridge.signaling.problem;

import dev.voicebridge.helidon.problem.Problem;
import dev.voicebridge.helidon.server.ServerProblems;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * signaling-service's codes for what Helidon answers before or outside any resource (see
 * helidon-support's {@code WebServerHardening}): the request line or a header it cannot parse,
 * a request line or header section above the configured size, a body above {@code
 * server.max-payload-size}, HTTP/1.0, a path no route serves.
 */
@ApplicationScoped
public class SignalingServerProblems implements ServerProblems {
    @Override
    public Problem problem(Refusal refusal, int status) {
        ProblemCode code =
                switch (refusal) {
                    case MALFORMED -> ProblemCode.MALFORMED_REQUEST;
                    case HEADERS_TOO_LARGE -> ProblemCode.HEADERS_TOO_LARGE;
                    case STATUS -> ProblemCode.forHttpStatus(status);
                };
        int sent = code == ProblemCode.REQUEST_REFUSED ? status : code.status();
        return code.problem(sent, detail(code), null);
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
