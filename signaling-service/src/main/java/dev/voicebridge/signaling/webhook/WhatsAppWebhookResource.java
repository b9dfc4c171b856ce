package dev.voicebridge.signaling.webhook;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.helidon.log.RateLimitedLog;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.security.BoundedBody;
import dev.voicebridge.signaling.security.PublicEndpoint;
import dev.voicebridge.signaling.security.WebhookSignature;
import dev.voicebridge.signaling.telemetry.ServerSpanFilter;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * WhatsApp Cloud API webhook ({@code calls} field). The body is read as bytes, bounded, and the
 * signature checked over exactly those bytes before any parsing; only then are events applied. The
 * 200 goes out after every event reached Kubernetes, never after media or Graph API work.
 */
@Dependent
@Path("/webhooks/whatsapp")
@PublicEndpoint("deliveries carry the X-Hub-Signature-256 HMAC of the app secret, verification the verify token")
@Tag(name = "webhook", description = "WhatsApp Cloud API calling webhook")
public class WhatsAppWebhookResource {
    private static final Logger LOG = Logger.getLogger(WhatsAppWebhookResource.class.getName());
    /** Anyone can send these: a few lines a minute, the metrics count them all. */
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));

    private final SignalingConfig config;
    private final WebhookSignature signature;
    private final WebhookParser parser;
    private final WebhookProcessor processor;
    private final SignalingMetrics metrics;

    @Inject
    public WhatsAppWebhookResource(
            SignalingConfig config,
            WebhookSignature signature,
            WebhookParser parser,
            WebhookProcessor processor,
            SignalingMetrics metrics) {
        this.config = config;
        this.signature = signature;
        this.parser = parser;
        this.processor = processor;
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Subscription verification: echoes hub.challenge when hub.verify_token matches")
    @APIResponse(responseCode = "200", description = "the challenge")
    @APIResponse(responseCode = "403", description = "verify-token-mismatch")
    public String verify(
            @QueryParam("hub.mode") String mode,
            @QueryParam("hub.verify_token") String token,
            @QueryParam("hub.challenge") String challenge) {
        if (!"subscribe".equals(mode)) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "hub.mode must be subscribe");
        }
        if (challenge == null || challenge.isEmpty()) {
            throw new ProblemException(ProblemCode.MISSING_FIELD, "hub.challenge is missing");
        }
        byte[] expected = config.verifyToken().bytes();
        byte[] presented = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (expected.length == 0 || !MessageDigest.isEqual(expected, presented)) {
            REFUSALS.log(Level.WARNING, "webhook.verify.mismatch", () -> LogLine.of("webhook.verify.mismatch"));
            throw new ProblemException(ProblemCode.VERIFY_TOKEN_MISMATCH, "hub.verify_token does not match");
        }
        return challenge;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Webhook delivery, signed with X-Hub-Signature-256")
    @APIResponse(responseCode = "200", description = "every event was applied or deliberately ignored")
    @APIResponse(responseCode = "400", description = "malformed-json, invalid-timestamp, incomplete-body")
    @APIResponse(responseCode = "401", description = "signature-missing, signature-invalid")
    @APIResponse(responseCode = "413", description = "body-too-large")
    @APIResponse(responseCode = "503", description = "kubernetes-unavailable (WhatsApp retries)")
    public Response receive(
            @HeaderParam("X-Hub-Signature-256") String signatureHeader,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @Context ContainerRequestContext request,
            InputStream body) {
        long started = System.nanoTime();
        String outcome = "rejected";
        try {
            var response = handle(signatureHeader, contentLength, request, body);
            outcome = "accepted";
            return response;
        } catch (ProblemException e) {
            outcome = e.code().code();
            throw e;
        } finally {
            metrics.webhookLatency(outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Response handle(
            String signatureHeader, String contentLength, ContainerRequestContext request, InputStream body) {
        byte[] bytes;
        try {
            bytes = BoundedBody.read(body, contentLength, config.webhookMaxBodyBytes());
            signature.verify(signatureHeader, bytes);
        } catch (ProblemException e) {
            switch (e.code()) {
                case SIGNATURE_MISSING, SIGNATURE_INVALID -> {
                    metrics.signatureFailure(e.code().code());
                    metrics.webhookRequest("unauthorized");
                    REFUSALS.log(
                            Level.WARNING,
                            "webhook.rejected",
                            () -> LogLine.of(
                                    "webhook.rejected", "reason", e.code().code()));
                }
                case BODY_TOO_LARGE -> metrics.webhookRequest("too-large");
                case INCOMPLETE_BODY -> metrics.webhookRequest("incomplete");
                default -> metrics.webhookRequest("rejected");
            }
            throw e;
        }
        var events = parseCounted(bytes);
        String traceparent = ServerSpanFilter.traceparent(request);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        try {
            for (WebhookEvent event : events) {
                outcomes.merge(processor.handle(event, traceparent), 1, Integer::sum);
            }
        } catch (ProblemException e) {
            metrics.webhookRequest("unavailable");
            throw e;
        }
        metrics.webhookRequest("accepted");
        return Response.ok(new WebhookReceipt(events.size(), outcomes).toJson()).build();
    }

    private java.util.List<WebhookEvent> parseCounted(byte[] bytes) {
        try {
            return parser.parse(bytes);
        } catch (ProblemException e) {
            metrics.webhookRequest(e.code() == ProblemCode.INVALID_TIMESTAMP ? "invalid-timestamp" : "malformed");
            throw e;
        }
    }
}
