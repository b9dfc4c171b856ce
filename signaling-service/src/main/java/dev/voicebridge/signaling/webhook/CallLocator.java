package dev.voicebridge.signaling.webhook;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Finds the VoiceCall a webhook event is about. In order: the {@code biz_opaque_callback_data}
 * voicebridge gave WhatsApp (the resource name; the only handle on an outbound call before its
 * WhatsApp id is known), the WhatsApp call id of an outbound call (informer index), then the
 * hash of the call id (inbound calls are named by it). A call found by callback data must agree
 * with the event: same phone-number id, and the same WhatsApp call id when one is known; the
 * webhook is signed by Meta, so a disagreement is a bug somewhere, logged and not acted on.
 */
final class CallLocator {
    private static final Logger LOG = Logger.getLogger(CallLocator.class.getName());

    private final CallCache cache;
    private final CallStore store;

    CallLocator(CallCache cache, CallStore store) {
        this.cache = cache;
        this.store = store;
    }

    /** The call, from the informer when it has it, else the API server (it may lag our creates). */
    Optional<VoiceCall> find(WebhookEvent event, String phoneNumberId) {
        Optional<String> byCallback = CallNames.fromCallbackData(event.callbackData());
        if (byCallback.isPresent()) {
            Optional<VoiceCall> call = byName(byCallback.get());
            if (call.isPresent()) {
                return agrees(call.get(), event, phoneNumberId) ? call : Optional.empty();
            }
        }
        if (event.callId() == null || event.callId().isEmpty()) {
            return Optional.empty();
        }
        List<VoiceCall> outbound = cache.byWhatsAppCallId(event.callId());
        if (outbound.size() == 1) {
            return Optional.of(outbound.getFirst());
        }
        return byName(CallNames.forCallId(event.callId()));
    }

    Optional<VoiceCall> byName(String name) {
        VoiceCall cached = cache.get(name);
        return cached != null ? Optional.of(cached) : store.find(name);
    }

    private static boolean agrees(VoiceCall call, WebhookEvent event, String phoneNumberId) {
        var spec = call.getSpec();
        String known = whatsappCallId(call);
        boolean numberAgrees = phoneNumberId == null
                || spec == null
                || spec.getPhoneNumberId() == null
                || phoneNumberId.equals(spec.getPhoneNumberId());
        boolean idAgrees = known == null || event.callId() == null || known.equals(event.callId());
        if (!numberAgrees || !idAgrees) {
            LOG.warning(LogLine.of(
                    "webhook.callback-mismatch",
                    "call",
                    call.getMetadata().getName(),
                    "phoneNumberId",
                    numberAgrees ? null : phoneNumberId,
                    "action",
                    "ignored"));
            return false;
        }
        return true;
    }

    /** The WhatsApp id of an outbound call, as far as it is known (status, else annotation). */
    static String whatsappCallId(VoiceCall call) {
        var status = call.getStatus();
        if (status != null
                && status.getWhatsapp() != null
                && status.getWhatsapp().getCallId() != null) {
            return status.getWhatsapp().getCallId();
        }
        var annotations = call.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(Labels.WHATSAPP_CALL_ID_ANNOTATION) != null) {
            return annotations.get(Labels.WHATSAPP_CALL_ID_ANNOTATION);
        }
        // An inbound call: its id is its spec's.
        return call.getSpec() != null && !call.getSpec().isOutbound()
                ? call.getSpec().getCallId()
                : null;
    }

    /** Whether the event's call id is new information about the call (worth an annotation). */
    static boolean learnsCallId(VoiceCall call, WebhookEvent event) {
        return call.getSpec() != null
                && call.getSpec().isOutbound()
                && event.callId() != null
                && !Objects.equals(whatsappCallId(call), event.callId());
    }
}
