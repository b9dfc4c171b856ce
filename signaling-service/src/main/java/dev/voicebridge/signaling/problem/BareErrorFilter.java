package dev.voicebridge.signaling.problem;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.helidon.log.RateLimitedLog;
import dev.voicebridge.helidon.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.server.ExtendedUriInfo;

/**
 * The last word on error responses leaving Jersey: one without a body gets the problem of its
 * status. Jersey answers some requests without consulting any ExceptionMapper — a Content-Type or
 * Accept header it cannot parse is a bare 400 — and this keeps those documented problems too.
 * An unmatched 404 is left alone: Helidon then tries its other routes (health, metrics, openapi).
 */
@Dependent
@Provider
@Priority(Priorities.USER - 100)
public class BareErrorFilter implements ContainerResponseFilter {
    private static final Logger LOG = Logger.getLogger(BareErrorFilter.class.getName());
    private static final RateLimitedLog REFUSED = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity() || "HEAD".equals(request.getMethod())) {
            return;
        }
        if (status == 404
                && request.getUriInfo() instanceof ExtendedUriInfo uri
                && uri.getMatchedResourceMethod() == null) {
            return;
        }
        ProblemCode code = ProblemCode.forHttpStatus(status);
        int sent = code == ProblemCode.REQUEST_REFUSED ? status : code.status();
        REFUSED.log(
                Level.INFO,
                "request.refused.bare",
                () -> LogLine.of("request.refused", "layer", "jersey", "status", sent, "code", code.code()));
        response.setStatus(sent);
        response.setEntity(
                code.problem(sent, code.title(), null).toJson(),
                new Annotation[0],
                MediaType.valueOf(Problem.MEDIA_TYPE));
    }
}
