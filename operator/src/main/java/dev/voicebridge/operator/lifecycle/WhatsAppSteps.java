package dev.voicebridge.operator.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.WhatsAppAction;
import dev.voicebridge.operator.events.EventReason;
import dev.voicebridge.operator.events.EventRecorder;
import dev.voicebridge.operator.observe.CallSpans;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import dev.voicebridge.operator.whatsapp.CallAction;
import dev.voicebridge.operator.whatsapp.GraphClient;
import dev.voicebridge.operator.whatsapp.GraphErrors;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import dev.voicebridge.operator.whatsapp.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph API actions with the write-ahead rule: {@code requestedAt} and the attempt number are
 * recorded (a write guarded by resourceVersion) before the request, {@code completedAt} after
 * success, {@code failedAt} when it is given up. Retries wait on the reconciler's reschedule,
 * never on a sleep.
 */
final class WhatsAppSteps {
    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppSteps.class);

    private final CallPatcher patcher;
    private final GraphClient graph;
    private final AgentDirectory agents;
    private final GraphRequests requests;
    private final RetryPolicy retry;
    private final EventRecorder events;
    private final CallSpans spans;
    private final Clock clock;
    /** Earliest next attempt per call, after a retryable failure. In memory: a restart retries at once. */
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();

    WhatsAppSteps(
            CallPatcher patcher,
            GraphClient graph,
            AgentDirectory agents,
            RetryPolicy retry,
            EventRecorder events,
            CallSpans spans,
            Clock clock) {
        this.patcher = patcher;
        this.graph = graph;
        this.agents = agents;
        this.requests = new GraphRequests(graph, agents);
        this.retry = retry;
        this.events = events;
        this.spans = spans;
        this.clock = clock;
    }

    /** The terminate or reject a call ending this way owes WhatsApp; {@code null} when none. */
    static CallAction owedOnEnd(VoiceCall call, CallFacts facts, EndReason reason) {
        if (facts.outbound() != null) {
            return owedOnOutboundEnd(call, facts.outbound(), reason);
        }
        if (!facts.bridgeAccepts()
                || reason == EndReason.CallerHangup
                || reason == EndReason.Canceled
                || call.getSpec().getPhoneNumberId() == null
                || call.getSpec().getSdpOffer() == null) {
            return null;
        }
        // A call WhatsApp may have seen accepted is terminated; one still ringing is rejected. An
        // accept given up after several attempts may have succeeded on an earlier one (timeout,
        // crash): that is terminated too. Only a first-attempt refusal proves it is still ringing.
        var whatsapp = Transitions.status(call).getWhatsapp();
        var accept = whatsapp == null ? null : whatsapp.getAccept();
        boolean uncertainFailure = facts.accept() == ActionState.FAILED
                && accept != null
                && accept.getAttempts() != null
                && accept.getAttempts() > 1;
        return facts.acceptMayHaveHappened() || uncertainFailure ? CallAction.TERMINATE : CallAction.REJECT;
    }

    /**
     * An outbound call WhatsApp placed is terminated (a ringing one too: terminate stops the
     * ringing), unless WhatsApp ended it itself (its terminate webhook, or the user declined).
     * Without WhatsApp's call id there is nothing to terminate: connect's outcome was lost and no
     * webhook named the call; WhatsApp ends it when nobody answers.
     */
    private static CallAction owedOnOutboundEnd(VoiceCall call, OutboundFacts outbound, EndReason reason) {
        var hangup = call.getSpec().getHangup();
        boolean endedByWhatsApp = hangup != null && hangup.getWhatsapp() != null;
        if (!outbound.callIdKnown()
                || endedByWhatsApp
                || reason == EndReason.Rejected
                || call.getSpec().getPhoneNumberId() == null) {
            return null;
        }
        return CallAction.TERMINATE;
    }

    /**
     * Ended NoCallPermission, and the agent asks such users for permission: the permission
     * request message is owed, unless WhatsApp said the request limit is reached (1 a day, 2 a
     * week per user) or one was already requested.
     */
    static boolean owesPermissionRequest(CallFacts facts, EndReason reason) {
        var outbound = facts.outbound();
        return outbound != null
                && reason == EndReason.NoCallPermission
                && outbound.requestPermission()
                && !Boolean.FALSE.equals(outbound.canRequestPermission())
                && outbound.permissionRequest() == ActionState.NONE;
    }

    static String statusField(CallAction action) {
        return switch (action) {
            case PRE_ACCEPT -> "preAccept";
            case ACCEPT -> "accept";
            case REJECT -> "reject";
            case TERMINATE -> "terminate";
            case CONNECT -> "connect";
            case PERMISSION_REQUEST -> "permissionRequest";
        };
    }

    /** Outcome of {@link #perform}: where to go next, plus a final failure to end the call with. */
    record Performed(StepResult next, GraphOutcome.Failure finalFailure) {}

    Performed perform(VoiceCall call, CallAction action) {
        String key =
                call.getMetadata().getNamespace() + "/" + call.getMetadata().getName();
        Instant now = clock.instant();
        Instant wait = notBefore.get(key);
        if (wait != null && now.isBefore(wait)) {
            return new Performed(new StepResult.Stop(Duration.between(now, wait)), null);
        }
        var whatsapp = Transitions.status(call).getWhatsapp();
        WhatsAppAction recorded = whatsapp == null ? null : current(whatsapp, action);
        int attemptsMade = recorded == null || recorded.getAttempts() == null ? 0 : recorded.getAttempts();

        String sdp = null;
        String sdpSha = null;
        // The current placement's worker's SDP (the decider acts only once it wrote it).
        if (action == CallAction.CONNECT) {
            sdp = call.currentMedia().getSdpOffer();
            sdpSha = sha256(sdp);
        } else if (action.carriesSdp()) {
            sdp = call.currentMedia().getSdpAnswer();
            sdpSha = sha256(sdp);
            WhatsAppAction pre = whatsapp == null ? null : whatsapp.getPreAccept();
            if (action == CallAction.ACCEPT && pre != null && !sdpSha.equals(pre.getSdpSha256())) {
                // accept must carry the bytes pre_accept carried (docs/protocols.md); never send others.
                return new Performed(
                        null,
                        new GraphOutcome.Failure(
                                0,
                                null,
                                "the SDP answer changed after pre_accept",
                                null,
                                null,
                                false,
                                EndReason.InternalError));
            }
        }

        // Write-ahead: requestedAt (first time) and this attempt, guarded by resourceVersion.
        ObjectNode status = patcher.statusPatch();
        ObjectNode entry = status.putObject("whatsapp").putObject(statusField(action));
        if (recorded == null || recorded.getRequestedAt() == null) {
            entry.put("requestedAt", now.toString());
        }
        entry.put("attempts", attemptsMade + 1);
        if (sdpSha != null) {
            entry.put("sdpSha256", sdpSha);
        }
        VoiceCall recordedCall = patcher.patchStatus(call, status, true);

        Optional<String> token = agents.accessToken(call);
        GraphOutcome outcome;
        Instant sent = null;
        if (call.getSpec().getPhoneNumberId() == null) {
            outcome = new GraphOutcome.Failure(
                    0,
                    null,
                    "the call has no phoneNumberId: no Graph API path",
                    null,
                    null,
                    false,
                    EndReason.WhatsAppError);
        } else if (token.isEmpty()) {
            outcome = new GraphOutcome.Failure(
                    0,
                    null,
                    "no WhatsApp access token (VoiceAgent whatsappAccessTokenSecret)",
                    null,
                    null,
                    false,
                    EndReason.WhatsAppError);
        } else {
            sent = clock.instant();
            outcome = requests.send(call, action, sdp, token.get());
        }

        Instant done = clock.instant();
        // connect is not idempotent: a retry after a timeout could ring the user twice, so only a
        // request Graph certainly did not act on is sent again. Any other failure that may have
        // placed the call leaves connect requested, and the webhooks (or the ring timer) decide.
        boolean retrying = outcome instanceof GraphOutcome.Failure f
                && f.retryable()
                && (action != CallAction.CONNECT || f.notProcessed())
                && retry.mayRetry(attemptsMade + 1);
        boolean uncertain = action == CallAction.CONNECT
                && !retrying
                && outcome instanceof GraphOutcome.Failure f
                && f.retryable()
                && !f.notProcessed();
        if (sent != null) {
            // A span per request that went out; none for a step replayed from status.
            spans.graphRequest(recordedCall, action, attemptsMade + 1, sent, done, outcome, retrying);
        }
        ObjectNode result = patcher.statusPatch();
        ObjectNode resultWhatsapp = result.putObject("whatsapp");
        switch (outcome) {
            case GraphOutcome.Success success -> {
                notBefore.remove(key);
                resultWhatsapp.putObject(statusField(action)).put("completedAt", done.toString());
                if (success.callId() != null) {
                    resultWhatsapp.put("callId", success.callId());
                }
                VoiceCall updated = patcher.patchStatus(recordedCall, result, false);
                events.record(updated, successReason(action), action.wireName() + " accepted by WhatsApp");
                LOG.info(LogLine.of(
                        "call.whatsapp",
                        LogLine.CALL,
                        call.getMetadata().getName(),
                        "action",
                        action.wireName(),
                        "outcome",
                        "ok",
                        "attempt",
                        attemptsMade + 1));
                return new Performed(new StepResult.Continue(updated), null);
            }
            case GraphOutcome.Failure failure -> {
                resultWhatsapp.set("lastError", patcher.json().valueToTree(graphError(failure, done)));
                if (retrying) {
                    Duration backoff = retry.backoff(attemptsMade + 1);
                    notBefore.put(key, done.plus(backoff));
                    if (action == CallAction.CONNECT) {
                        // Graph did not act on it: connect is not in flight, it is owed again.
                        resultWhatsapp.putObject(statusField(action)).putNull("requestedAt");
                    }
                    VoiceCall updated = patcher.patchStatus(recordedCall, result, false);
                    LOG.warn(LogLine.of(
                            "call.whatsapp",
                            LogLine.CALL,
                            call.getMetadata().getName(),
                            "action",
                            action.wireName(),
                            "outcome",
                            "retry",
                            "attempt",
                            attemptsMade + 1,
                            "httpStatus",
                            failure.httpStatus(),
                            "code",
                            failure.code(),
                            "backoffMs",
                            backoff.toMillis()));
                    events.record(
                            updated,
                            EventReason.GraphRetry,
                            action.wireName() + " attempt " + (attemptsMade + 1) + " failed (" + describe(failure)
                                    + "); retrying in " + backoff.toMillis() + " ms");
                    return new Performed(new StepResult.Stop(backoff), null);
                }
                notBefore.remove(key);
                if (uncertain) {
                    VoiceCall updated = patcher.patchStatus(recordedCall, result, false);
                    LOG.warn(LogLine.of(
                            "call.whatsapp",
                            LogLine.CALL,
                            call.getMetadata().getName(),
                            "action",
                            action.wireName(),
                            "outcome",
                            "unknown",
                            "attempt",
                            attemptsMade + 1,
                            "httpStatus",
                            failure.httpStatus(),
                            "code",
                            failure.code()));
                    events.record(
                            updated,
                            EventReason.GraphRetry,
                            action.wireName() + " may have reached WhatsApp (" + describe(failure)
                                    + "); not sent again, waiting for WhatsApp's webhooks");
                    return new Performed(new StepResult.Continue(updated), null);
                }
                resultWhatsapp.putObject(statusField(action)).put("failedAt", done.toString());
                VoiceCall updated = patcher.patchStatus(recordedCall, result, false);
                LOG.warn(LogLine.of(
                        "call.whatsapp",
                        LogLine.CALL,
                        call.getMetadata().getName(),
                        "action",
                        action.wireName(),
                        "outcome",
                        "failed",
                        "attempt",
                        attemptsMade + 1,
                        "httpStatus",
                        failure.httpStatus(),
                        "code",
                        failure.code()));
                events.record(
                        updated,
                        EventReason.GraphFailed,
                        action.wireName() + " failed after " + (attemptsMade + 1) + " attempt(s): "
                                + describe(failure));
                return new Performed(new StepResult.Continue(updated), failure);
            }
        }
    }

    void forget(VoiceCall call) {
        notBefore.remove(
                call.getMetadata().getNamespace() + "/" + call.getMetadata().getName());
    }

    private static WhatsAppAction current(dev.voicebridge.api.v1alpha1.WhatsAppStatus whatsapp, CallAction action) {
        return switch (action) {
            case PRE_ACCEPT -> whatsapp.getPreAccept();
            case ACCEPT -> whatsapp.getAccept();
            case REJECT -> whatsapp.getReject();
            case TERMINATE -> whatsapp.getTerminate();
            case CONNECT -> whatsapp.getConnect();
            case PERMISSION_REQUEST -> whatsapp.getPermissionRequest();
        };
    }

    private static EventReason successReason(CallAction action) {
        return switch (action) {
            case PRE_ACCEPT -> EventReason.PreAccepted;
            case ACCEPT -> EventReason.Accepted;
            case REJECT -> EventReason.Rejected;
            case TERMINATE -> EventReason.Terminated;
            case CONNECT -> EventReason.Dialled;
            case PERMISSION_REQUEST -> EventReason.PermissionRequested;
        };
    }

    static String describe(GraphOutcome.Failure failure) {
        String what = failure.code() != null
                ? "Graph " + failure.code() + " " + GraphErrors.describe(failure.code())
                : failure.httpStatus() != 0 ? "HTTP " + failure.httpStatus() : "";
        return (what + " " + (failure.message() == null ? "" : failure.message())).trim();
    }

    private static dev.voicebridge.api.v1alpha1.GraphError graphError(GraphOutcome.Failure failure, Instant at) {
        var error = new dev.voicebridge.api.v1alpha1.GraphError();
        error.setCode(failure.code());
        error.setMessage(truncate(failure.message()));
        error.setDetails(truncate(failure.details()));
        error.setFbtraceId(failure.fbtraceId());
        error.setAt(at.toString());
        return error;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2048 ? text : text.substring(0, 2048);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
