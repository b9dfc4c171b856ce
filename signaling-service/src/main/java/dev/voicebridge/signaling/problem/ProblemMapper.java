package dev.voicebridge.signaling.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.signaling.telemetry.LogFields;
import jakarta.enterprise.context.Dependent;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The service's single ExceptionMapper: everything leaves as application/problem+json. */
@Dependent
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable error) {
        String path = uriInfo == null ? null : "/" + uriInfo.getPath();
        return switch (error) {
            case ProblemException p -> {
                if (p.code().status() >= 500) {
                    LOG.warning(LogFields.line(
                            "request.problem",
                            "path",
                            path,
                            "code",
                            p.code().code(),
                            "detail",
                            p.getMessage(),
                            "cause",
                            p.getCause() == null
                                    ? null
                                    : p.getCause().getClass().getSimpleName()));
                }
                var builder = response(Problem.of(p.code(), p.getMessage(), path));
                if (p.retryAfterSeconds() != null) {
                    builder.header("Retry-After", p.retryAfterSeconds());
                }
                yield builder.build();
            }
            // Jersey's own entity-less 404 must pass through untouched: Helidon then offers the
            // request to its other routes (/health, /metrics, /openapi are not Jersey resources).
            case NotFoundException n -> n.getResponse();
            case NotAllowedException n ->
                response(new Problem(
                                null, "Method Not Allowed", 405, "method not allowed here", "method-not-allowed", path))
                        .build();
            case WebApplicationException w ->
                response(new Problem(
                                null,
                                w.getResponse().getStatusInfo().getReasonPhrase(),
                                w.getResponse().getStatus(),
                                w.getMessage(),
                                "http-" + w.getResponse().getStatus(),
                                path))
                        .build();
            default -> {
                LOG.log(
                        Level.WARNING,
                        "event=request.failed path=" + path + " error="
                                + error.getClass().getName(),
                        error);
                yield response(Problem.of(ProblemCode.INTERNAL, "unexpected error, see service logs", path))
                        .build();
            }
        };
    }

    private static Response.ResponseBuilder response(Problem problem) {
        try {
            return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(JSON.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record always serializes", e);
        }
    }
}
