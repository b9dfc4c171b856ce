package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The call API for an edge function or any backend. Every method is bearer-authenticated by
 * {@code AuthenticationFeature} (bound to the resource methods, not to paths) and declares the
 * operation it performs; the authenticated client arrives as the request's principal. A client
 * only ever sees calls in its scope: one outside it is answered exactly like one that does not
 * exist, and lists are filtered.
 */
@Dependent
@Path("/v1/calls")
@Tag(name = "calls", description = "Create, confirm, hang up and inspect calls")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
@SecurityRequirement(name = "bearer")
public class CallApiResource {
    private static final Logger LOG = Logger.getLogger(CallApiResource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallSetup setup;
    private final CallActions actions;
    private final CallRequestParser parser;
    private final CallStore store;
    private final CallCache cache;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private final Clock clock;
    private final CallMedia media;

    @Inject
    public CallApiResource(
            CallSetup setup,
            CallActions actions,
            CallRequestParser parser,
            CallStore store,
            CallCache cache,
            SignalingConfig config,
            SignalingMetrics metrics,
            Clock clock,
            CallMedia media) {
        this.media = media;
        this.setup = setup;
        this.actions = actions;
        this.parser = parser;
        this.store = store;
        this.cache = cache;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** 201 body of POST /v1/calls. */
    public record CreatedCall(String callId, String name, String sdpAnswer) {}

    /**
     * Builds the {@code 201} body's serializer at start-up: left to the first call, Jackson
     * introspected the record (its record accessors, property collection) on that call's request
     * thread after the answer had arrived.
     */
    static void warmUp() {
        json(new CreatedCall("warm-up", "warm-up", "v=0"));
    }

    @POST
    // A body declared as anything but JSON is refused (415); one without a Content-Type is read as JSON.
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create a call from an SDP offer and wait (bounded) for the SDP answer",
            description = "Body: callId, sdpOffer, from, to, phoneNumberId, agent, overrides {instructions, voice,"
                    + " model}, acceptBy (caller|bridge, default caller), maxDurationSeconds. Idempotent per callId"
                    + " and offer.")
    @RequestBody(description = "the call to create")
    @APIResponse(responseCode = "201", description = "callId, name (the VoiceCall) and sdpAnswer")
    @APIResponse(
            responseCode = "400",
            description = "malformed-json, incomplete-body, missing-field, invalid-field, invalid-sdp, sdp-too-large")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not create calls)")
    @APIResponse(responseCode = "404", description = "agent-not-found (none, or none in the client's scope)")
    @APIResponse(responseCode = "409", description = "call-id-conflict, call-ended")
    @APIResponse(responseCode = "413", description = "body-too-large")
    @APIResponse(responseCode = "415", description = "unsupported-media-type (a Content-Type other than JSON)")
    @APIResponse(responseCode = "503", description = "no-capacity (with Retry-After), kubernetes-unavailable")
    @APIResponse(responseCode = "504", description = "answer-timeout")
    @RequiresOperation(CallOperation.CREATE)
    public Response create(
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @Context ContainerRequestContext request,
            @Context SecurityContext security,
            InputStream body)
            throws Exception {
        return timed("create", () -> {
            var parsed = parser.parse(BoundedBody.read(body, contentLength, config.apiMaxBodyBytes()));
            var answer = setup.setUp(parsed, client(security), ServerSpanFilter.traceparent(request));
            return Response.created(URI.create("/v1/calls/" + CallNames.forCallId(parsed.callId())))
                    .type(MediaType.APPLICATION_JSON)
                    .entity(json(new CreatedCall(answer.callId(), answer.name(), answer.sdpAnswer())))
                    .build();
        });
    }

    @POST
    @Path("/{callId}/accepted")
    @Operation(summary = "Record that the client accepted the call with WhatsApp (media may start)")
    @APIResponse(responseCode = "204", description = "recorded (repeats keep the first time)")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not accept calls)")
    @APIResponse(responseCode = "404", description = "call-not-found (none, or none in the client's scope)")
    @APIResponse(responseCode = "409", description = "call-ended")
    @RequiresOperation(CallOperation.ACCEPT)
    public Response accepted(@PathParam("callId") String callId, @Context SecurityContext security) throws Exception {
        return timed("accepted", () -> {
            VoiceCall call = existing(callId, client(security));
            if (call.phase().isTerminal()
                    || (call.getSpec() != null && call.getSpec().getHangup() != null)) {
                throw new ProblemException(
                        ProblemCode.CALL_ENDED, "call " + name(callId) + " already ended or is hanging up");
            }
            var annotations = call.getMetadata().getAnnotations();
            if (annotations == null || !annotations.containsKey(Labels.ACCEPTED_ANNOTATION)) {
                store.annotate(
                        name(callId),
                        Map.of(Labels.ACCEPTED_ANNOTATION, clock.instant().toString()));
                LOG.info(LogLine.of("api.call.accepted", "call", name(callId)));
            }
            return Response.noContent().build();
        });
    }

    @DELETE
    @Path("/{callId}")
    @Operation(summary = "Hang up (sets spec.hangup with reason ApiHangup)")
    @APIResponse(responseCode = "202", description = "hang-up requested (or already requested)")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not hang up calls)")
    @APIResponse(responseCode = "404", description = "call-not-found (none, or none in the client's scope)")
    @RequiresOperation(CallOperation.HANGUP)
    public Response hangUp(@PathParam("callId") String callId, @Context SecurityContext security) throws Exception {
        return timed("hangup", () -> {
            actions.hangUp(callId, client(security), "DELETE /v1/calls");
            return Response.accepted().build();
        });
    }

    @GET
    @Path("/{callId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Phase, timestamps, media and agent figures, transcript lines")
    @APIResponse(responseCode = "200", description = "the call")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not read calls)")
    @APIResponse(responseCode = "404", description = "call-not-found (none, or none in the client's scope)")
    @RequiresOperation(CallOperation.READ)
    public Response get(@PathParam("callId") String callId, @Context SecurityContext security) throws Exception {
        return timed("get", () -> Response.ok(json(CallView.of(existing(callId, client(security)))))
                .build());
    }

    @GET
    @Path("/{callId}/recording")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "WhatsApp's recording of the call (its call_recording_available webhook), fetched now")
    @APIResponse(responseCode = "200", description = "the recording, e.g. audio/ogg; codecs=opus")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not download media)")
    @APIResponse(responseCode = "404", description = "call-not-found, media-not-available")
    @APIResponse(responseCode = "502", description = "media-fetch-failed")
    @APIResponse(responseCode = "503", description = "media-download-disabled")
    @RequiresOperation(CallOperation.MEDIA)
    public Response recording(@PathParam("callId") String callId, @Context SecurityContext security) throws Exception {
        return timed("recording", () -> download(callId, security, CallMedia.Kind.RECORDING));
    }

    @GET
    @Path("/{callId}/transcript")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "WhatsApp's transcript of the call (call_transcription_available), a JSON document")
    @APIResponse(responseCode = "200", description = "the transcript document")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not download media)")
    @APIResponse(responseCode = "404", description = "call-not-found, media-not-available")
    @APIResponse(responseCode = "502", description = "media-fetch-failed")
    @APIResponse(responseCode = "503", description = "media-download-disabled")
    @RequiresOperation(CallOperation.MEDIA)
    public Response transcript(@PathParam("callId") String callId, @Context SecurityContext security) throws Exception {
        return timed("transcript", () -> download(callId, security, CallMedia.Kind.TRANSCRIPT));
    }

    private Response download(String callId, SecurityContext security, CallMedia.Kind kind) {
        VoiceCall call = existing(callId, client(security));
        var download = media.fetch(call, kind);
        LOG.info(LogLine.of(
                "api.call.media",
                "call",
                name(callId),
                "kind",
                kind.name().toLowerCase(java.util.Locale.ROOT),
                "client",
                client(security).name()));
        jakarta.ws.rs.core.StreamingOutput body = out -> {
            try (var in = download.body()) {
                in.transferTo(out);
            }
        };
        var response = Response.ok(body)
                .type(download.mimeType())
                // Conversation content: no cache on the way may keep it.
                .header("Cache-Control", "no-store");
        if (download.length() >= 0) {
            response.header(HttpHeaders.CONTENT_LENGTH, download.length());
        }
        return response.build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "The client's calls, newest first, a page at a time, optionally of one phase",
            description = "limit: 1.." + CallPage.MAX_LIMIT + " (default " + CallPage.DEFAULT_LIMIT
                    + "); continue: the token of the previous page. Items leave out transcripts.")
    @APIResponse(responseCode = "200", description = "{items: [...], continue: token of the next page, if any}")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "403", description = "forbidden (the client may not list calls)")
    @APIResponse(responseCode = "400", description = "invalid-phase, invalid-field (limit), invalid-continue")
    @RequiresOperation(CallOperation.LIST)
    public Response list(
            @QueryParam("phase") String phase,
            @QueryParam("limit") String limit,
            @QueryParam("continue") String continueToken,
            @Context SecurityContext security)
            throws Exception {
        return timed("list", () -> {
            CallPhase wanted = phase == null || phase.isBlank() ? null : parsePhase(phase);
            ApiClient client = client(security);
            var page = CallPage.page(
                    cache.list(),
                    c -> inScope(client, c) && (wanted == null || c.phase() == wanted),
                    limit,
                    continueToken);
            return Response.ok(json(page)).build();
        });
    }

    private static CallPhase parsePhase(String phase) {
        return Arrays.stream(CallPhase.values())
                .filter(p -> p.name().equalsIgnoreCase(phase))
                .findFirst()
                .orElseThrow(() -> new ProblemException(
                        ProblemCode.INVALID_PHASE,
                        "phase must be one of " + Arrays.toString(CallPhase.values()) + ", got " + phase));
    }

    private VoiceCall existing(String callId, ApiClient client) {
        return actions.existing(callId, client);
    }

    static boolean inScope(ApiClient client, VoiceCall call) {
        return CallActions.inScope(client, call);
    }

    private static ApiClient client(SecurityContext security) {
        return CallActions.client(security);
    }

    private static String name(String callId) {
        return CallNames.forCallId(callId);
    }

    private Response timed(String operation, Callable<Response> work) throws Exception {
        return CallActions.timed(metrics, operation, work);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("views always serialize", e);
        }
    }
}
