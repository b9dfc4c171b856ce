package dev.voicebridge.testkit.graph;

import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * WhatsApp's side of business-initiated calls, on top of the fake Graph API: for every accepted
 * {@code connect} it finds the callee's synthetic phone, lets it answer the business's offer and
 * sends the signed webhooks WhatsApp sends (business-initiated-calls page): the connect webhook
 * with the answer, status RINGING, then, as the callee behaves, ACCEPTED (the phone is picked up),
 * or REJECTED followed by a terminate, or — nobody picking up — a terminate without start time
 * after ringing for a while. A user hanging up, or the business terminating, is answered with the
 * terminate webhook. Webhooks echo the business's {@code biz_opaque_callback_data}.
 */
public final class WhatsAppCallees implements OutboundListener, AutoCloseable {

    /** How a callee responds to the ringing. */
    public sealed interface Behaviour {
        /** Picks up after this long. */
        record Answer(Duration after) implements Behaviour {}

        /** Declines after this long. */
        record Reject(Duration after) implements Behaviour {}

        /** Lets it ring; WhatsApp gives up after this long. */
        record NoAnswer(Duration ringFor) implements Behaviour {}
    }

    private record Callee(SyntheticPhone phone, Behaviour behaviour, boolean activeDtls) {}

    /** One call WhatsApp placed: what it sent, and when the callee picked up. */
    private static final class Ringing {
        final OutboundCall call;
        final SyntheticPhone phone;
        volatile Instant acceptedAt;
        volatile boolean ended;

        Ringing(OutboundCall call, SyntheticPhone phone) {
            this.call = call;
            this.phone = phone;
        }
    }

    private final WebhookSender webhooks;
    private final Map<String, Callee> callees = new ConcurrentHashMap<>();
    private final Map<String, Ringing> calls = new ConcurrentHashMap<>();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("whatsapp-callees").daemon().factory());

    public WhatsAppCallees(FakeGraphApi graph, WebhookSender webhooks) {
        this.webhooks = webhooks;
        graph.addOutboundListener(this);
    }

    /**
     * The phone answering calls to {@code user} (the number, or the BSUID a business calls by).
     * {@code activeDtls}: the phone answers {@code a=setup:active} and is the DTLS client.
     */
    public void register(String user, SyntheticPhone phone, Behaviour behaviour, boolean activeDtls) {
        callees.put(user, new Callee(phone, behaviour, activeDtls));
    }

    /** The WhatsApp call id of the latest call to {@code user}, once WhatsApp placed one. */
    public Optional<String> callIdOf(String user) {
        return calls.values().stream()
                .filter(r -> user.equals(r.call.callee()))
                .map(r -> r.call.callId())
                .reduce((a, b) -> b);
    }

    /** When the callee of this call picked up. */
    public Optional<Instant> acceptedAt(String callId) {
        Ringing r = calls.get(callId);
        return r == null ? Optional.empty() : Optional.ofNullable(r.acceptedAt);
    }

    /** Webhooks sent so far, as "callId event" lines ("wacid.x RINGING", "wacid.x terminate"). */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    /** Anything that went wrong on WhatsApp's side (an offer the phone refused, say). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** The callee hangs up an answered call: WhatsApp sends terminate COMPLETED with the duration. */
    public void hangUp(String callId) {
        Ringing r = calls.get(callId);
        if (r != null && !r.ended) {
            r.ended = true;
            send(r, "terminate", CallWebhooks.terminate(r.call, "COMPLETED", r.acceptedAt));
        }
    }

    @Override
    public void onConnect(OutboundCall call) {
        Callee callee = callees.get(call.callee());
        if (callee == null) {
            failures.add(new IllegalStateException("no callee registered for " + call.callee()));
            return;
        }
        var ringing = new Ringing(call, callee.phone());
        calls.put(call.callId(), ringing);
        // After the connect response: WhatsApp's webhooks follow its answer to the business.
        timer.schedule(() -> ring(ringing, callee), 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onEnded(String phoneNumberId, String callId, String action) {
        Ringing r = calls.get(callId);
        if (r != null && !r.ended) {
            r.ended = true;
            Thread.ofVirtual()
                    .start(() -> send(r, "terminate", CallWebhooks.terminate(r.call, "COMPLETED", r.acceptedAt)));
        }
    }

    private void ring(Ringing r, Callee callee) {
        String answer;
        try {
            answer = callee.phone().answerOffer(r.call.sdpOffer(), callee.activeDtls());
        } catch (RuntimeException e) {
            failures.add(e);
            r.ended = true;
            send(r, "terminate", CallWebhooks.terminate(r.call, "FAILED", null));
            return;
        }
        send(r, "connect", CallWebhooks.answer(r.call, answer));
        send(r, "RINGING", CallWebhooks.status(r.call, "RINGING"));
        switch (callee.behaviour()) {
            case Behaviour.Answer a ->
                later(a.after(), () -> {
                    if (!r.ended) {
                        r.phone.pickUp();
                        r.acceptedAt = Instant.now();
                        send(r, "ACCEPTED", CallWebhooks.status(r.call, "ACCEPTED"));
                    }
                });
            case Behaviour.Reject j ->
                later(j.after(), () -> {
                    if (!r.ended) {
                        r.ended = true;
                        send(r, "REJECTED", CallWebhooks.status(r.call, "REJECTED"));
                        send(r, "terminate", CallWebhooks.terminate(r.call, "COMPLETED", null));
                    }
                });
            case Behaviour.NoAnswer n ->
                later(n.ringFor(), () -> {
                    if (!r.ended) {
                        r.ended = true;
                        send(r, "terminate", CallWebhooks.terminate(r.call, "COMPLETED", null));
                    }
                });
        }
    }

    private void later(Duration after, Runnable task) {
        timer.schedule(() -> Thread.ofVirtual().start(task), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(Ringing r, String what, com.fasterxml.jackson.databind.node.ObjectNode webhook) {
        int status = webhooks.post(webhook);
        sent.add(r.call.callId() + " " + what);
        if (status != 200) {
            failures.add(new IllegalStateException(what + " webhook of " + r.call.callId() + " answered " + status));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
