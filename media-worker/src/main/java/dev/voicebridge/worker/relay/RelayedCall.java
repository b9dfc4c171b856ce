package dev.voicebridge.worker.relay;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.PlayoutListener;
import dev.voicebridge.worker.webrtc.CallTransport;
import dev.voicebridge.worker.webrtc.TransportListener;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The model's side of one relayed call: the {@link OpusRelay} between the caller's transport and
 * the model's, the model's leg as it opens ({@link ModelLeg}), and its end. The caller's leg gates
 * what the caller hears (nothing before WhatsApp's accept); the model's leg is accepted as soon as
 * it exists, since the caller sends nothing before the accept anyway. When the model's leg fails
 * (refused, unreachable, ICE or DTLS failed, consent lost) while the call is still on, the call
 * ends {@code AgentUnavailable}; when the call ends, the model's leg is closed and the call hung up
 * at OpenAI, so the model stops (and stops billing) at once.
 */
public final class RelayedCall {
    private static final Logger LOG = Logger.getLogger(RelayedCall.class.getName());

    private final String call;
    private final OpusRelay relay;
    private final ModelCalls calls;
    private final CompletableFuture<ModelLeg> leg;
    private final BiConsumer<EndReason, String> modelGone;
    private final AtomicBoolean over = new AtomicBoolean();

    private RelayedCall(
            String call,
            OpusRelay relay,
            ModelCalls calls,
            CompletableFuture<ModelLeg> leg,
            BiConsumer<EndReason, String> modelGone) {
        this.call = call;
        this.relay = relay;
        this.calls = calls;
        this.leg = leg;
        this.modelGone = modelGone;
    }

    /**
     * Opens the model's leg of {@code call} now (the offer posted while the caller's answer goes
     * out).
     *
     * @param sessionJson the Realtime session's configuration for the call's creation
     * @param modelGone told once, on any thread, when the model's side ends before the call
     */
    public static RelayedCall open(
            WebRtcHost host,
            ModelCalls calls,
            String call,
            OpusRelay relay,
            String sessionJson,
            BiConsumer<EndReason, String> modelGone) {
        var opening = new CompletableFuture<ModelLeg>();
        var relayed = new RelayedCall(call, relay, calls, opening, modelGone);
        TransportListener listener = new TransportListener() {
            @Override
            public void onEnded(CallTransport transport, EndReason reason, String detail) {
                relayed.legEnded(reason, detail);
            }
        };
        long started = System.nanoTime();
        ModelLeg.open(host, calls, call, relay, sessionJson, listener).whenComplete((l, failure) -> {
            if (failure != null) {
                relayed.refused(failure);
                opening.completeExceptionally(failure);
                return;
            }
            long answeredMs = (System.nanoTime() - started) / 1_000_000;
            LOG.info(() -> LogLine.of("relay.model-answered", LogLine.CALL, call, "ms", answeredMs));
            l.transport().markAccepted();
            opening.complete(l);
        });
        return relayed;
    }

    /** The sideband's address on the Realtime base {@code realtimeBase}, once OpenAI named the call. */
    public CompletableFuture<URI> sideband(URI realtimeBase) {
        return leg.thenApply(l -> RealtimeCallClient.sideband(realtimeBase, l.callId()));
    }

    /** What crossed the relay so far. */
    public OpusRelay.Stats stats() {
        return relay.stats();
    }

    /** The call ended: the model's leg closes and OpenAI's call is hung up (once). */
    public void end(EndReason reason) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        leg.whenComplete((l, failure) -> {
            if (l == null) {
                return;
            }
            l.transport().hangup(reason);
            calls.hangup(l.callId()).exceptionally(e -> {
                LOG.log(
                        Level.FINE,
                        LogLine.of(
                                "relay.hangup-failed",
                                LogLine.CALL,
                                call,
                                "why",
                                cause(e).getClass().getSimpleName()),
                        e);
                return null;
            });
        });
    }

    private void refused(Throwable failure) {
        Throwable cause = cause(failure);
        String why =
                switch (cause) {
                    case ModelCallRefusedException r -> "OpenAI refused the call: " + r.status() + " " + r.code();
                    case ModelLeg.NoSocketException e -> "no UDP socket for the model's leg: " + e.getMessage();
                    default ->
                        "OpenAI's calls endpoint not reached: "
                                + cause.getClass().getSimpleName();
                };
        gone(why);
    }

    private void legEnded(EndReason reason, String detail) {
        if (!leg.isDone() || leg.isCompletedExceptionally()) {
            return; // a leg that never opened: its refusal says why (refused)
        }
        gone("the model's WebRTC leg ended: " + reason + (detail == null ? "" : " (" + detail + ")"));
    }

    private void gone(String why) {
        if (over.compareAndSet(false, true)) {
            LOG.info(() -> LogLine.of("relay.model-gone", LogLine.CALL, call, "why", why));
            modelGone.accept(EndReason.AgentUnavailable, why);
            end(EndReason.AgentUnavailable);
        }
    }

    /**
     * The agent's audio output of a relayed call: the model's audio never passes through the
     * agent (it is relayed as Opus), so there is nothing to queue, flush or trim; a greeting the
     * agent holds back is held at the caller's leg ({@link OpusRelay#holdForCaller}).
     */
    public AgentAudioOutput playout() {
        return new RelayPlayout(relay);
    }

    private record RelayPlayout(OpusRelay relay) implements AgentAudioOutput {
        @Override
        public void hold() {
            relay.holdForCaller();
        }

        @Override
        public void release() {
            relay.releaseToCaller();
        }

        @Override
        public void enqueue(String itemId, short[] pcm) {}

        @Override
        public Flushed flush() {
            return Flushed.NOTHING;
        }

        @Override
        public int queuedMillis() {
            return 0;
        }

        @Override
        public int trimTo(int maxQueuedMillis) {
            return 0;
        }

        @Override
        public void setListener(PlayoutListener listener) {}
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
