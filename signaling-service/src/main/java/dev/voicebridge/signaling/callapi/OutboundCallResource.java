package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.config.CallOperation;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.security.BoundedBody;
import dev.voicebridge.signaling.security.RequiresOperation;
import dev.voicebridge.signaling.telemetry.ServerSpanFilter;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Business-initiated calls: {@code POST /v1/calls/outbound} records the call and answers at once;
 * the operator does the rest (permission check, placement, WhatsApp connect). Authenticated like
 * every call-API method (bound to the resource method) and allowed to clients with the
 * {@code dial} operation whose scope holds the agent and the number the call is placed from.
 */
@Dependent
@Path("/v1/calls/outbound")
@Tag(name = "calls")
@SecurityRequirement(name = "bearer")
public class OutboundCallResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutboundSetup setup;
    private final OutboundRequestParser parser;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;

    @Inject
    public OutboundCallResource(
            OutboundSetup setup, OutboundRequestParser parser, SignalingConfig config, SignalingMetrics metrics) {
        this.setup = setup;
        this.parser = parser;
        this.config = config;
        this.metrics = metrics;
    }

    /** Body of the answer: the call's id (for GET/DELETE /v1/calls/{callId}), name and phase. */
    public record PlacedCall(String callId, String name, String phase) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Place a business-initiated WhatsApp call",
            description = "Body: to (the user's number) or recipient (BSUID), phoneNumberId or agent, overrides"
                    + " {instructions, voice, model}, maxDurationSeconds, callbackData (at most 512 characters),"
                    + " recording / transcription {enabled, purpose, announcementLanguage}, requestId. Idempotent"
                    + " by requestId or the Idempotency-Key header.")
    @RequestBody(description = "the call to place")
    @APIResponse(responseCode = "201", description = "callId, name (the VoiceCall), phase; Location")
    @APIResponse(responseCode = "200", description = "a retry with the same key and body: the same call")
    @APIResponse(responseCode = "400", description = "malformed-json, incomplete-body, missing-field, invalid-field")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not dial)")
    @APIResponse(responseCode = "404", description = "agent-not-found (none, or none in the client's scope)")
    @APIResponse(responseCode = "409", description = "call-id-conflict (the key was used with another body)")
    @APIResponse(responseCode = "413", description = "body-too-large")
    @APIResponse(responseCode = "415", description = "unsupported-media-type")
    @APIResponse(responseCode = "503", description = "kubernetes-unavailable")
    @RequiresOperation(CallOperation.DIAL)
    public Response place(
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context ContainerRequestContext request,
            @Context SecurityContext security,
            InputStream body)
            throws Exception {
        long started = System.nanoTime();
        int status = 500;
        try {
            var parsed = parser.parse(BoundedBody.read(body, contentLength, config.apiMaxBodyBytes()), idempotencyKey);
            var placed = setup.place(parsed, client(security), ServerSpanFilter.traceparent(request));
            var spec = placed.call().getSpec();
            var entity = new PlacedCall(
                    spec.getCallId(),
                    placed.call().getMetadata().getName(),
                    placed.call().phase().name());
            Response response = (placed.created()
                            ? Response.created(URI.create(
                                    "/v1/calls/" + URLEncoder.encode(spec.getCallId(), StandardCharsets.UTF_8)))
                            : Response.ok())
                    .type(MediaType.APPLICATION_JSON)
                    .entity(json(entity))
                    .build();
            status = response.getStatus();
            return response;
        } catch (ProblemException e) {
            status = e.code().status();
            throw e;
        } finally {
            metrics.apiLatency("outbound", status, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static ApiClient client(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof ApiClient client) {
            return client;
        }
        throw new IllegalStateException("call API method reached without an authenticated client");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("views always serialize", e);
        }
    }
}
