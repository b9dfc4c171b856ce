package dev.voicebridge.signaling.dropin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.signaling.callapi.CallActions;
import dev.voicebridge.signaling.callapi.CallRequestParser;
import dev.voicebridge.signaling.callapi.CallSetup;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.config.CallOperation;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.security.BoundedBody;
import dev.voicebridge.signaling.security.RequiresOperation;
import dev.voicebridge.signaling.telemetry.ServerSpanFilter;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The two contracts of the media bridges that teams run behind their edge functions, served on
 * VoiceCalls so voicebridge replaces such a bridge with no change to the function but its bridge
 * URL: {@code /bridge/start|stop} + {@code /health}, and {@code /sessions/{callId}/webrtc}, under
 * the base {@code /compat} (the service's own {@code /health} is the public probe aggregate that
 * Kubernetes reads; one path served by two handlers would depend on how the path is spelled). Authenticated
 * exactly like {@code /v1} (the same filter, bound to these methods, each declaring its
 * operation). Their calls are {@code acceptBy: media}, since these clients accept with WhatsApp
 * themselves and never report it. Errors carry {@code success: false} and {@code error}
 * ({@link DropInErrors}). Documented in docs/compat.md.
 */
@Dependent
@Path("/compat")
@DropInErrors.Contract
@Tag(name = "drop-in", description = "Contracts of existing media bridges, mapped onto VoiceCalls")
@SecurityRequirement(name = "bearer")
public class DropInResource {
    private static final Logger LOG = Logger.getLogger(DropInResource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallSetup setup;
    private final CallActions actions;
    private final CallRequestParser parser;
    private final CallCache cache;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;

    @Inject
    public DropInResource(
            CallSetup setup,
            CallActions actions,
            CallRequestParser parser,
            CallCache cache,
            SignalingConfig config,
            SignalingMetrics metrics) {
        this.setup = setup;
        this.actions = actions;
        this.parser = parser;
        this.cache = cache;
        this.config = config;
        this.metrics = metrics;
    }

    @POST
    @Path("bridge/start")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Start a bridged call: {callId, sdpOffer, from, sessionConfig {voice, instructions, temperature}}",
            description = "200 {success, callId, sdpAnswer, bridgeUrl, sessionId, warnings}. Media starts with the"
                    + " caller's first authenticated media (acceptBy media). Errors as POST /v1/calls, with success"
                    + " false and error.")
    @APIResponse(responseCode = "200", description = "the SDP answer")
    @APIResponse(responseCode = "400", description = "as POST /v1/calls")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not create calls)")
    @APIResponse(responseCode = "404", description = "agent-not-found")
    @APIResponse(responseCode = "409", description = "call-id-conflict, call-ended")
    @APIResponse(responseCode = "503", description = "no-capacity, kubernetes-unavailable")
    @APIResponse(responseCode = "504", description = "answer-timeout")
    @RequiresOperation(CallOperation.CREATE)
    public Response bridgeStart(
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @Context ContainerRequestContext request,
            @Context UriInfo uri,
            @Context SecurityContext security,
            InputStream body)
            throws Exception {
        return CallActions.timed(metrics, "bridge-start", () -> {
            var parsed = DropInRequest.bridgeStart(read(body, contentLength), parser);
            var answer = start(parsed, request, security);
            var reply = new LinkedHashMap<String, Object>();
            reply.put("success", true);
            reply.put("callId", answer.callId());
            reply.put("sdpAnswer", answer.sdpAnswer());
            // Any replica serves any call: the address this request reached is the bridge's.
            reply.put("bridgeUrl", uri.getBaseUri().toString().replaceAll("/+$", "") + "/compat");
            reply.put("sessionId", answer.name());
            reply.put("warnings", parsed.warnings());
            return ok(reply);
        });
    }

    @POST
    @Path("bridge/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stop a bridged call: {callId}; 200 {success, callId} (sets spec.hangup, ApiHangup)")
    @APIResponse(responseCode = "200", description = "hang-up requested (or already requested)")
    @APIResponse(responseCode = "400", description = "malformed-json, missing-field, invalid-field")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not hang up calls)")
    @APIResponse(responseCode = "404", description = "call-not-found")
    @RequiresOperation(CallOperation.HANGUP)
    public Response bridgeStop(
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @Context SecurityContext security,
            InputStream body)
            throws Exception {
        return CallActions.timed(metrics, "bridge-stop", () -> {
            String callId = DropInRequest.callId(read(body, contentLength));
            actions.hangUp(callId, CallActions.client(security), "POST /bridge/stop");
            return ok(Map.of("success", true, "callId", callId));
        });
    }

    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "{status, activeSessions, uptime, memory}: the client's unfinished VoiceCalls, this replica's"
                    + " uptime (seconds) and heap (bytes)")
    @APIResponse(responseCode = "200", description = "status ok")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not list calls)")
    @APIResponse(responseCode = "503", description = "kubernetes-unavailable (the VoiceCall cache is not synced)")
    @RequiresOperation(CallOperation.LIST)
    public Response health(@Context SecurityContext security) throws Exception {
        return CallActions.timed(metrics, "health", () -> {
            if (!cache.hasSynced()) {
                throw new ProblemException(
                        ProblemCode.KUBERNETES_UNAVAILABLE, "VoiceCall cache not synced yet, retry", 1, null);
            }
            ApiClient client = CallActions.client(security);
            long active = cache.list().stream()
                    .filter(c -> !c.phase().isTerminal() && CallActions.inScope(client, c))
                    .count();
            Runtime runtime = Runtime.getRuntime();
            var memory = new LinkedHashMap<String, Object>();
            memory.put("heapUsed", runtime.totalMemory() - runtime.freeMemory());
            memory.put("heapTotal", runtime.totalMemory());
            memory.put("heapMax", runtime.maxMemory());
            var reply = new LinkedHashMap<String, Object>();
            reply.put("status", "ok");
            reply.put("activeSessions", active);
            reply.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
            reply.put("memory", memory);
            return ok(reply);
        });
    }

    @POST
    @Path("sessions/{callId}/webrtc")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Start a session: {sdpOffer, openaiModel, systemInstructions, voice}; 200 {success, sdpAnswer,"
                    + " sessionId}",
            description = "Media starts with the caller's first authenticated media (acceptBy media).")
    @APIResponse(responseCode = "200", description = "the SDP answer")
    @APIResponse(responseCode = "400", description = "as POST /v1/calls")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not create calls)")
    @APIResponse(responseCode = "404", description = "agent-not-found")
    @APIResponse(responseCode = "409", description = "call-id-conflict, call-ended")
    @APIResponse(responseCode = "503", description = "no-capacity, kubernetes-unavailable")
    @APIResponse(responseCode = "504", description = "answer-timeout")
    @RequiresOperation(CallOperation.CREATE)
    public Response sessionStart(
            @PathParam("callId") String callId,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @Context ContainerRequestContext request,
            @Context SecurityContext security,
            InputStream body)
            throws Exception {
        return CallActions.timed(metrics, "session-start", () -> {
            var parsed = DropInRequest.sessionWebrtc(callId, read(body, contentLength), parser);
            var answer = start(parsed, request, security);
            return ok(Map.of("success", true, "sdpAnswer", answer.sdpAnswer(), "sessionId", answer.name()));
        });
    }

    @DELETE
    @Path("sessions/{callId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "End a session: 200 {success, sessionId} (sets spec.hangup, ApiHangup)")
    @APIResponse(responseCode = "200", description = "hang-up requested (or already requested)")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not hang up calls)")
    @APIResponse(responseCode = "404", description = "call-not-found")
    @RequiresOperation(CallOperation.HANGUP)
    public Response sessionStop(@PathParam("callId") String callId, @Context SecurityContext security)
            throws Exception {
        return CallActions.timed(metrics, "session-stop", () -> {
            actions.hangUp(callId, CallActions.client(security), "DELETE /sessions");
            return ok(Map.of("success", true, "sessionId", CallNames.forCallId(callId)));
        });
    }

    private CallSetup.Answer start(DropInRequest parsed, ContainerRequestContext request, SecurityContext security)
            throws InterruptedException {
        var answer = setup.setUp(parsed.call(), CallActions.client(security), ServerSpanFilter.traceparent(request));
        if (!parsed.warnings().isEmpty()) {
            LOG.fine(() -> LogLine.of(
                    "api.dropin.ignored",
                    "call",
                    answer.name(),
                    "fields",
                    parsed.warnings().size()));
        }
        return answer;
    }

    private byte[] read(InputStream body, String contentLength) {
        return BoundedBody.read(body, contentLength, config.apiMaxBodyBytes());
    }

    private static Response ok(Object reply) {
        try {
            return Response.ok(JSON.writeValueAsString(reply), MediaType.APPLICATION_JSON)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("replies always serialize", e);
        }
    }
}
