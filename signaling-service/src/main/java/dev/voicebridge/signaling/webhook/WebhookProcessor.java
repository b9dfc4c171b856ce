package dev.voicebridge.signaling.webhook;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.PhoneNumbers;
import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppTermination;
import dev.voicebridge.signaling.calls.AgentDirectory;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Applies webhook events to VoiceCalls. Every step is idempotent because WhatsApp delivers
 * at-least-once and unordered: an inbound call's resource name is its call id's hash, a hang-up is
 * set once, and a terminate that beats its connect leaves a tombstone (no offer, hang-up set) that
 * the late connect finds and leaves alone. Events about existing calls (answers and statuses of
 * outbound calls, media) are in {@link BusinessCallEvents}; {@link CallLocator} maps every event
 * to its call. Rules and outcomes are listed in docs/signaling.md.
 */
public final class WebhookProcessor {
    private static final Logger LOG = Logger.getLogger(WebhookProcessor.class.getName());
    private static final java.util.regex.Pattern PHONE_NUMBER_ID =
            java.util.regex.Pattern.compile("^[0-9A-Za-z_-]{0,64}$");
    private static final int MAX_SDP = 65_536;

    private final CallStore store;
    private final CallCache cache;
    private final AgentDirectory agents;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private final Clock clock;
    private final CallLocator locator;
    private final BusinessCallEvents business;

    public WebhookProcessor(
            CallStore store,
            CallCache cache,
            AgentDirectory agents,
            SignalingConfig config,
            SignalingMetrics metrics,
            Clock clock) {
        this.store = store;
        this.cache = cache;
        this.agents = agents;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.locator = new CallLocator(cache, store);
        this.business = new BusinessCallEvents(store, locator, this::isStale, clock);
    }

    /** Handles one event and returns its outcome label; Kubernetes outages propagate (→ 503). */
    public String handle(WebhookEvent event, String traceparent) {
        String outcome;
        try {
            outcome = switch (event) {
                case WebhookEvent.Connect c when c.isAnswer() -> business.answer(c);
                case WebhookEvent.Connect c -> connect(c, traceparent);
                case WebhookEvent.Terminate t -> terminate(t, traceparent);
                case WebhookEvent.CallStatus s -> business.status(s);
                case WebhookEvent.MediaAvailable m -> business.media(m);
                case WebhookEvent.Unsupported u -> {
                    LOG.info(LogLine.of("webhook.ignored", "kind", u.kind(), "call", nameOrNull(u.callId())));
                    yield "ignored";
                }
            };
        } catch (ProblemException e) {
            if (e.code() != ProblemCode.INVALID_FIELD) {
                throw e;
            }
            LOG.warning(LogLine.of("webhook.invalid", "kind", kind(event), "detail", e.getMessage()));
            outcome = "invalid";
        }
        metrics.webhookEvent(kind(event), outcome);
        return outcome;
    }

    private String connect(WebhookEvent.Connect c, String traceparent) {
        if (c.callId() == null || c.callId().isEmpty()) {
            return invalid("connect without call id");
        }
        String name = CallNames.forCallId(c.callId());
        if (isStale(c.timestamp())) {
            return stale("connect", name, c.timestamp());
        }
        if (!"offer".equalsIgnoreCase(c.sdpType()) || c.sdp() == null) {
            LOG.info(LogLine.of("webhook.connect.not-offer", "call", name, "sdpType", c.sdpType()));
            return "ignored";
        }
        if (c.sdp().length() > MAX_SDP) {
            return invalid("connect SDP longer than " + MAX_SDP + " characters, call " + name);
        }
        if (c.phoneNumberId() != null
                && !PHONE_NUMBER_ID.matcher(c.phoneNumberId()).matches()) {
            return invalid("phone_number_id has characters Kubernetes will not store, call " + name);
        }
        if (!agents.hasSynced()) {
            // Choosing from an empty cache would create the call without its agent: let WhatsApp retry.
            throw new ProblemException(
                    ProblemCode.KUBERNETES_UNAVAILABLE, "VoiceAgent cache not synced yet, retry", 1, null);
        }
        String agent = agents.forPhoneNumberId(c.phoneNumberId()).orElse(blankToNull(config.defaultAgent()));
        var spec = baseSpec(c.callId(), c.phoneNumberId(), c.from(), c.to(), c.timestamp());
        spec.setAgentRef(agent);
        spec.setSdpOffer(c.sdp());
        if (c.userId() != null && c.userId().length() <= 128 && c.userId().matches("^[0-9A-Za-z._-]*$")) {
            spec.setUserId(c.userId());
            spec.setCallerDisplay(PhoneNumbers.display(c.from(), c.userId()));
        }
        VoiceCall result =
                switch (store.create(resource(name, spec, traceparent))) {
                    case CallStore.New n -> {
                        LOG.info(CallStep.RECEIVED.line(
                                name,
                                "source",
                                "whatsapp",
                                "from",
                                PhoneNumbers.display(c.from(), c.userId()),
                                "phoneNumberId",
                                c.phoneNumberId(),
                                "agent",
                                agent == null ? "<none>" : agent));
                        // The raw id only on demand: it names the caller's call at WhatsApp.
                        LOG.fine(() -> LogLine.of("webhook.connect.call-id", "call", name, "callId", c.callId()));
                        yield null;
                    }
                    case CallStore.Existing e -> e.call();
                };
        if (result == null) {
            return "created";
        }
        if (result.getSpec() == null || result.getSpec().getSdpOffer() == null) {
            LOG.info(LogLine.of("webhook.connect.after-terminate", "call", name, "action", "not answered"));
            return "tombstoned";
        }
        if (Objects.equals(result.getSpec().getSdpOffer(), c.sdp())) {
            return "duplicate";
        }
        LOG.warning(LogLine.of("webhook.connect.conflicting-offer", "call", name, "action", "ignored"));
        return "conflicting-offer";
    }

    private String terminate(WebhookEvent.Terminate t, String traceparent) {
        if (t.callId() == null || t.callId().isEmpty()) {
            return invalid("terminate without call id");
        }
        var whatsapp = new WhatsAppTermination();
        whatsapp.setStatus(t.status());
        whatsapp.setStartTime(rfc3339(t.startTime()));
        whatsapp.setEndTime(rfc3339(t.endTime()));
        whatsapp.setDurationSeconds(
                t.durationSeconds() == null || t.durationSeconds() < 0 ? null : t.durationSeconds());
        whatsapp.setErrors(t.errors());

        VoiceCall known = locator.find(t, t.phoneNumberId()).orElse(null);
        String name = known != null ? known.getMetadata().getName() : CallNames.forCallId(t.callId());
        if (known == null) {
            if (t.businessInitiated() || t.callbackData() != null) {
                // A business-initiated call is ours: a terminate we cannot place is about a call
                // already collected (or never created here). No tombstone: no connect will follow.
                LOG.info(LogLine.of("webhook.terminate.unmatched", "direction", "business-initiated"));
                return "terminate-unmatched";
            }
            if (isStale(t.timestamp())) {
                // Nothing to end and too old to matter: no tombstone for ancient terminates.
                return stale("terminate", name, t.timestamp());
            }
            var spec = baseSpec(t.callId(), t.phoneNumberId(), t.from(), t.to(), t.timestamp());
            spec.setHangup(hangup(EndReason.Canceled, "terminated by WhatsApp before connect", whatsapp));
            switch (store.create(resource(name, spec, traceparent))) {
                case CallStore.New n -> {
                    LOG.info(LogLine.of("webhook.terminate.tombstone", "call", name, "status", t.status()));
                    return "tombstone-created";
                }
                case CallStore.Existing e -> known = e.call();
            }
        }
        EndReason reason = known.getSpec() != null && known.getSpec().isOutbound()
                ? OutboundEnds.reason(known, t)
                : EndReason.CallerHangup;
        if (!store.requestHangupIfAbsent(known, hangup(reason, "terminate webhook", whatsapp))) {
            return "hangup-exists";
        }
        LOG.info(LogLine.of(
                "webhook.terminate.hangup",
                "call",
                name,
                "reason",
                reason,
                "status",
                t.status(),
                "duration",
                t.durationSeconds(),
                "errors",
                t.errors() == null ? 0 : t.errors().size()));
        return "hangup-requested";
    }

    private VoiceCallSpec baseSpec(String callId, String phoneNumberId, String from, String to, Instant timestamp) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.whatsapp);
        spec.setDirection(CallDirection.inbound);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setPhoneNumberId(phoneNumberId);
        spec.setCaller(from);
        spec.setCallerDisplay(PhoneNumbers.mask(from));
        spec.setCallee(to);
        spec.setReceivedAt(rfc3339(timestamp == null ? clock.instant() : timestamp));
        return spec;
    }

    private HangupRequest hangup(EndReason reason, String message, WhatsAppTermination whatsapp) {
        var hangup = new HangupRequest();
        hangup.setReason(reason);
        hangup.setRequestedAt(rfc3339(clock.instant()));
        hangup.setMessage(message);
        hangup.setWhatsapp(whatsapp);
        return hangup;
    }

    static VoiceCall resource(String name, VoiceCallSpec spec, String traceparent) {
        Map<String, String> annotations = new HashMap<>();
        if (traceparent != null) {
            annotations.put(Labels.TRACEPARENT_ANNOTATION, traceparent);
        }
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .build());
        return call;
    }

    boolean isStale(Instant timestamp) {
        return timestamp != null && timestamp.isBefore(clock.instant().minus(config.staleEventAge()));
    }

    private String stale(String kind, String name, Instant timestamp) {
        metrics.staleEvent(kind);
        LOG.info(LogLine.of("webhook.stale", "kind", kind, "call", name, "timestamp", timestamp));
        return "stale";
    }

    private static String invalid(String detail) {
        throw new ProblemException(ProblemCode.INVALID_FIELD, detail);
    }

    private static String kind(WebhookEvent event) {
        return switch (event) {
            case WebhookEvent.Connect c when c.isAnswer() -> "answer";
            case WebhookEvent.Connect c -> "connect";
            case WebhookEvent.Terminate t -> "terminate";
            case WebhookEvent.CallStatus s -> "status";
            case WebhookEvent.MediaAvailable m -> "media";
            case WebhookEvent.Unsupported u -> "unsupported";
        };
    }

    private static String nameOrNull(String callId) {
        return callId == null || callId.isEmpty() ? null : CallNames.forCallId(callId);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static String rfc3339(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
