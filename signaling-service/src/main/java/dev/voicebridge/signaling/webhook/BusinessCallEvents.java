package dev.voicebridge.signaling.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.PhoneNumbers;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.calls.CallAnnotations;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The webhooks about calls that already exist: WhatsApp's answer to an outbound call's offer (the
 * connect webhook with {@code sdp_type: answer}), the statuses of business-initiated calls
 * (RINGING, ACCEPTED, REJECTED) and the availability of WhatsApp's own recording or transcript.
 * Each is recorded on the VoiceCall signaling may write: the answer as {@code spec.sdpAnswer}
 * (written once), the rest as annotations. Idempotent, like every webhook step.
 */
final class BusinessCallEvents {
    private static final Logger LOG = Logger.getLogger(BusinessCallEvents.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SDP = 65_536;

    private final CallStore store;
    private final CallLocator locator;
    private final Predicate<Instant> isStale;
    private final Clock clock;

    BusinessCallEvents(CallStore store, CallLocator locator, Predicate<Instant> isStale, Clock clock) {
        this.store = store;
        this.locator = locator;
        this.isStale = isStale;
        this.clock = clock;
    }

    /** WhatsApp's SDP answer to our offer: spec.sdpAnswer, once; the worker connects with it. */
    String answer(WebhookEvent.Connect c) {
        if (c.sdp() == null || !c.sdp().startsWith("v=0") || c.sdp().length() > MAX_SDP) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "connect answer without a usable SDP");
        }
        Optional<VoiceCall> found = locator.find(c, c.phoneNumberId());
        if (found.isEmpty() || !found.get().getSpec().isOutbound()) {
            LOG.info(LogLine.of("webhook.answer.unmatched", "action", "ignored"));
            return "answer-unmatched";
        }
        VoiceCall call = found.get();
        String name = call.getMetadata().getName();
        if (isStale.test(c.timestamp()) && call.getSpec().getSdpAnswer() == null) {
            // An old answer may belong to an attempt the operator gave up on: not connected now.
            LOG.info(LogLine.of("webhook.stale", "kind", "answer", "call", name));
            return "stale";
        }
        Map<String, String> annotations =
                CallLocator.learnsCallId(call, c) ? Map.of(Labels.WHATSAPP_CALL_ID_ANNOTATION, c.callId()) : Map.of();
        return switch (store.recordAnswer(call, c.sdp(), annotations)) {
            case RECORDED -> {
                LOG.info(LogLine.of(
                        "webhook.answer.recorded", "call", name, "to", PhoneNumbers.display(c.to(), c.userId())));
                yield "answer-recorded";
            }
            case DUPLICATE -> "answer-duplicate";
            case CONFLICT -> {
                LOG.warning(LogLine.of("webhook.answer.conflicting", "call", name, "action", "first kept"));
                yield "conflicting-answer";
            }
        };
    }

    /**
     * A business-initiated call's status, as annotations (an older status never overwrites a
     * newer one). REJECTED also asks the call to end with reason Rejected.
     */
    String status(WebhookEvent.CallStatus s) {
        if (s.callId() == null || s.callId().isEmpty() || s.status() == null) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "call status without id or status");
        }
        Optional<VoiceCall> found = locator.find(s, s.phoneNumberId());
        String recipient = PhoneNumbers.display(s.recipient(), s.recipientUserId());
        if (found.isEmpty()) {
            LOG.info(LogLine.of("webhook.status.unmatched", "status", s.status(), "recipient", recipient));
            return "status-unmatched";
        }
        VoiceCall known = found.get();
        String name = known.getMetadata().getName();
        if (isStale.test(s.timestamp())) {
            LOG.info(LogLine.of("webhook.stale", "kind", "status", "call", name, "timestamp", s.timestamp()));
            return "stale";
        }
        LOG.info(LogLine.of("webhook.status", "call", name, "status", s.status(), "recipient", recipient));
        String at = (s.timestamp() == null ? clock.instant() : s.timestamp()).toString();
        Instant reported = Instant.parse(at);
        Map<String, String> annotations = new HashMap<>();
        annotations.put(CallAnnotations.WHATSAPP_STATUS, s.status());
        annotations.put(CallAnnotations.WHATSAPP_STATUS_AT, at);
        if (CallLocator.learnsCallId(known, s)) {
            annotations.put(Labels.WHATSAPP_CALL_ID_ANNOTATION, s.callId());
        }
        // Deliveries are unordered: never let an older status overwrite a newer one, deciding on
        // the live resource (resourceVersion-guarded), not on a cache copy that may lag.
        boolean written = store.annotateIf(
                known, current -> !recordedAfter(current, reported) && !goesBack(current, s.status()), annotations);
        if ("REJECTED".equals(s.status())) {
            var hangup = new HangupRequest();
            hangup.setReason(EndReason.Rejected);
            hangup.setRequestedAt(clock.instant().toString());
            hangup.setMessage("WhatsApp: the user declined the call");
            store.requestHangupIfAbsent(
                    store.find(name)
                            .orElseThrow(
                                    () -> new ProblemException(ProblemCode.CALL_NOT_FOUND, "no call resource " + name)),
                    hangup);
        }
        return written ? "status-recorded" : "status-outdated";
    }

    /**
     * WhatsApp's recording or transcript of the call is ready: where to fetch it, as an annotation
     * (JSON). The content is fetched on request through the call API, never stored here.
     */
    String media(WebhookEvent.MediaAvailable m) {
        if (m.mediaId() == null || m.mediaId().isEmpty()) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "media webhook without a media id");
        }
        Optional<VoiceCall> found = locator.find(m, m.phoneNumberId());
        String kind = m.kind().name().toLowerCase(java.util.Locale.ROOT);
        if (found.isEmpty()) {
            // The call may have been collected already; WhatsApp keeps the media for its retention.
            LOG.info(LogLine.of("webhook.media.unmatched", "kind", kind));
            return "media-unmatched";
        }
        String name = found.get().getMetadata().getName();
        Map<String, String> value = new LinkedHashMap<>();
        value.put("mediaId", m.mediaId());
        if (m.mimeType() != null) {
            value.put("mimeType", m.mimeType());
        }
        if (m.sha256() != null) {
            value.put("sha256", m.sha256());
        }
        value.put("availableAt", (m.timestamp() == null ? clock.instant() : m.timestamp()).toString());
        String annotation = m.kind() == WebhookEvent.MediaAvailable.Kind.RECORDING
                ? Labels.WHATSAPP_RECORDING_ANNOTATION
                : Labels.WHATSAPP_TRANSCRIPT_ANNOTATION;
        try {
            store.annotate(name, Map.of(annotation, JSON.writeValueAsString(value)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a string map always serializes", e);
        }
        LOG.info(LogLine.of("webhook.media.available", "call", name, "kind", kind));
        return "media-recorded";
    }

    /**
     * Webhook timestamps have second resolution: a RINGING delivered late with the ACCEPTED's
     * second must not take the call back to ringing (the worker starts media on ACCEPTED).
     */
    private static boolean goesBack(VoiceCall call, String reported) {
        var annotations = call.getMetadata().getAnnotations();
        String recorded = annotations == null ? null : annotations.get(CallAnnotations.WHATSAPP_STATUS);
        return "RINGING".equals(reported) && recorded != null && !"RINGING".equals(recorded);
    }

    private static boolean recordedAfter(VoiceCall call, Instant reported) {
        var annotations = call.getMetadata().getAnnotations();
        Instant recorded =
                annotations == null ? null : parseOrNull(annotations.get(CallAnnotations.WHATSAPP_STATUS_AT));
        return recorded != null && recorded.isAfter(reported);
    }

    /** Annotations are user-editable: a malformed one is ignored, never a reason to fail the webhook. */
    private static Instant parseOrNull(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
