package dev.voicebridge.signaling.dropin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.helidon.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Errors of the drop-in endpoints in the shape their clients read, {@code {"success": false,
 * "error": "..."}}, while staying the service's problem details: the two members are added to the
 * problem (RFC 9457 section 3.2 allows extension members), its status and {@code code} unchanged.
 * Bound to the drop-in resources by {@link Contract}, so it also shapes the refusals of the
 * authentication filter bound to them; runs after {@code BareErrorFilter} gave bare errors a body.
 */
@Dependent
@Provider
@DropInErrors.Contract
@Priority(Priorities.USER - 200)
public class DropInErrors implements ContainerResponseFilter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Marks the resources whose errors carry {@code success} and {@code error}. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface Contract {}

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        if (response.getStatus() < 400
                || response.getMediaType() == null
                || !Problem.MEDIA_TYPE.equals(response.getMediaType().toString())
                || !(response.getEntity() instanceof byte[] body)) {
            return;
        }
        JsonNode problem = JSON.readTree(body);
        if (!(problem instanceof ObjectNode shaped)) {
            return;
        }
        JsonNode detail = shaped.path("detail");
        String error =
                detail.isTextual() ? detail.asText() : shaped.path("title").asText("error");
        shaped.put("success", false);
        shaped.put("error", error);
        response.setEntity(JSON.writeValueAsBytes(shaped), response.getEntityAnnotations(), response.getMediaType());
    }
}
