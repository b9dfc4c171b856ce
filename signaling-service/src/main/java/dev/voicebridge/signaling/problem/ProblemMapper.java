package dev.voicebridge.signaling.problem;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.helidon.log.RateLimitedLog;
import dev.voicebridge.helidon.problem.Problem;
import jakarta.enterprise.context.Dependent;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The service's single ExceptionMapper: everything a resource or Jersey throws leaves as
 * application/problem+json with a documented code. Client errors are logged at most as one
 * rate-limited line; only what is our own bug (an unexpected exception, a 5xx Jersey chose) gets a
 * stack trace. Log lines name the resource method, never the request path (it holds call ids).
 */
@Dependent
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
    static final RateLimitedLog CLIENT_ERRORS = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));
    static final RateLimitedLog SERVICE_ERRORS = new RateLimitedLog(LOG, 60, Duration.ofMinutes(1));

    @Context
    UriInfo uriInfo;

    @Context
    ResourceInfo resourceInfo;

    @Override
    public Response toResponse(Throwable error) {
        String path = uriInfo == null ? null : "/" + uriInfo.getPath();
        return switch (error) {
            case ProblemException p -> {
                log(p.code(), p.code().status(), p.getMessage(), p.getCause());
                var builder = response(p.code().problem(p.getMessage(), path));
                if (p.retryAfterSeconds() != null) {
                    builder.header("Retry-After", p.retryAfterSeconds());
                }
                if (p.code() == ProblemCode.UNAUTHORIZED) {
                    // RFC 6750 section 3: a 401 names the scheme the client must use.
                    builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"voicebridge\"");
                }
                yield builder.build();
            }
            // Jersey's entity-less 404 (no resource matched) passes through untouched: Helidon then
            // offers the request to its other routes (/health, /metrics, /openapi are not Jersey
            // resources) and, when none matches, answers the problem itself (SignalingServerProblems).
            case NotFoundException n when !n.getResponse().hasEntity() -> n.getResponse();
            case WebApplicationException w
            when w.getResponse().getStatus() < 500 -> {
                int status = w.getResponse().getStatus();
                ProblemCode code = ProblemCode.forHttpStatus(status);
                log(code, status, w.getMessage(), null);
                var builder = response(code.problem(status, detail(code, w), path));
                // 405 must say what is allowed (RFC 9110 section 15.5.6).
                String allow = w.getResponse().getHeaderString(HttpHeaders.ALLOW);
                if (allow != null) {
                    builder.header(HttpHeaders.ALLOW, allow);
                }
                yield builder.build();
            }
            default -> {
                LOG.log(
                        Level.WARNING,
                        LogLine.of(
                                "request.failed",
                                "resource",
                                resource(),
                                "error",
                                error.getClass().getName()),
                        error);
                yield response(ProblemCode.INTERNAL.problem("unexpected error, see service logs", path))
                        .build();
            }
        };
    }

    private static String detail(ProblemCode code, WebApplicationException w) {
        return switch (code) {
            case METHOD_NOT_ALLOWED -> "method not allowed here";
            case NOT_ACCEPTABLE -> "no representation matches the Accept header";
            case UNSUPPORTED_MEDIA_TYPE -> "this Content-Type is not accepted here";
            case NOT_FOUND -> "no such resource";
            default -> w.getResponse().getStatusInfo().getReasonPhrase();
        };
    }

    private void log(ProblemCode code, int status, String detail, Throwable cause) {
        if (status >= 500) {
            // A dependency's state (no capacity, Kubernetes down, no answer in time), not a bug:
            // one line with the cause named, rate-limited since clients retry into it.
            SERVICE_ERRORS.log(
                    Level.WARNING,
                    "request.problem." + code.code(),
                    () -> LogLine.of(
                            "request.problem",
                            "resource",
                            resource(),
                            "code",
                            code.code(),
                            "detail",
                            detail,
                            "cause",
                            cause == null ? null : cause.getClass().getSimpleName()));
            return;
        }
        CLIENT_ERRORS.log(
                Level.INFO,
                "request.refused",
                () -> LogLine.of("request.refused", "resource", resource(), "status", status, "code", code.code()));
    }

    private String resource() {
        if (resourceInfo == null || resourceInfo.getResourceMethod() == null) {
            return "unmatched";
        }
        return resourceInfo.getResourceClass().getSimpleName() + "."
                + resourceInfo.getResourceMethod().getName();
    }

    static Response.ResponseBuilder response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem.toJson());
    }
}
