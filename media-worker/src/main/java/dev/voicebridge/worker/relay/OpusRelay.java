package dev.voicebridge.worker.relay;

import dev.voicebridge.media.rtp.RtpStreamRewriter;
import dev.voicebridge.media.sdp.AudioMedia;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.pipeline.RtpOutput;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A call's two media legs joined without a codec: the caller's Opus goes to the model's WebRTC
 * session and the model's to the caller, each packet forwarded where it arrives (SRTP already
 * removed by its leg's transport, protected again by the other's), rewritten into the receiving
 * leg's own stream by a {@link RtpStreamRewriter}. See docs/architecture.md, D15.
 *
 * <p>Each leg sends only once it is accepted ({@link MediaHandler#markAccepted()}): the caller's
 * leg when WhatsApp accepted the call (no media before, as WhatsApp requires; the model's audio
 * until then is dropped and counted), the model's when the worker lets the model hear the caller.
 * Only the leg's Opus payload type is forwarded; anything else (telephone events, comfort noise)
 * is counted and stays on its leg. The relay sends no RTCP of its own yet.
 */
public final class OpusRelay {
    private static final int OPUS_CLOCK = 48_000;
    private static final int MAX_DATAGRAM = 1500;

    private final Leg caller;
    private final Leg model;

    /**
     * @param callerOpusPayloadType the Opus payload type of the caller's offer, which our answer
     *     keeps; the model's leg learns its own from the model's answer
     */
    public OpusRelay(int callerOpusPayloadType) {
        var random = new SecureRandom();
        this.caller = new Leg("caller", callerOpusPayloadType, random);
        this.model = new Leg("model", -1, random);
        caller.peer = model;
        model.peer = caller;
    }

    /** The handler for the caller's transport (WhatsApp's offer, our answer). */
    public MediaHandler callerLeg() {
        return caller;
    }

    /** The handler for the model's transport (our offer, the model's answer). */
    public MediaHandler modelLeg() {
        return model;
    }

    /** What crossed the relay so far. */
    public Stats stats() {
        return new Stats(
                caller.rewriter.forwarded(),
                model.rewriter.forwarded(),
                caller.held.get(),
                model.held.get(),
                caller.otherPayload.get() + model.otherPayload.get(),
                caller.rewriter.malformed()
                        + model.rewriter.malformed()
                        + caller.oversize.get()
                        + model.oversize.get());
    }

    /**
     * @param toCaller packets sent to the caller (the model's audio)
     * @param toModel packets sent to the model (the caller's audio)
     * @param heldForCaller model packets dropped because the caller's leg was not accepted yet
     * @param heldForModel caller packets dropped because the model's leg was not accepted yet
     * @param otherPayload packets of another payload type than the leg's Opus, not forwarded
     * @param malformed packets refused as not RTP, or larger than a datagram we send
     */
    public record Stats(
            long toCaller, long toModel, long heldForCaller, long heldForModel, long otherPayload, long malformed) {}

    /** One leg: what arrives on it goes to the peer leg; what the peer leg forwards is sent on it. */
    private static final class Leg implements MediaHandler {
        private final String name;
        private final RtpStreamRewriter rewriter;
        private final byte[] scratch = new byte[MAX_DATAGRAM];
        private final AtomicLong held = new AtomicLong();
        private final AtomicLong otherPayload = new AtomicLong();
        private final AtomicLong oversize = new AtomicLong();
        private volatile int opusPayloadType;
        private volatile RtpOutput output;
        private volatile boolean accepted;
        private Leg peer;

        Leg(String name, int opusPayloadType, SecureRandom random) {
            this.name = name;
            this.opusPayloadType = opusPayloadType;
            this.rewriter = new RtpStreamRewriter(
                    random.nextInt() & 0xFFFF_FFFFL,
                    OPUS_CLOCK,
                    random.nextInt(0x10000),
                    random.nextInt() & 0xFFFF_FFFFL);
        }

        @Override
        public boolean receivesOnAnyThread() {
            return true; // only forwards, under this leg's peer's lock; never blocks
        }

        @Override
        public void onTransportReady(RtpOutput output) {
            this.output = output;
        }

        @Override
        public void peerAnswered(AudioMedia answer) {
            opusPayloadType = answer.opus().payloadType();
        }

        @Override
        public void markAccepted() {
            accepted = true;
        }

        @Override
        public long localSsrc() {
            return rewriter.ssrc();
        }

        @Override
        public String cname() {
            return "voicebridge-relay-" + name;
        }

        @Override
        public void onRtp(byte[] buf, int off, int len) {
            if (len < 2 || (buf[off + 1] & 0x7F) != opusPayloadType) {
                otherPayload.incrementAndGet();
                return;
            }
            peer.send(buf, off, len);
        }

        /** Sends a packet that arrived on the peer leg as one of ours. */
        private void send(byte[] buf, int off, int len) {
            RtpOutput out = output;
            int pt = opusPayloadType;
            if (len > MAX_DATAGRAM) {
                oversize.incrementAndGet();
                return;
            }
            if (!accepted || out == null || pt < 0) {
                held.incrementAndGet();
                return;
            }
            synchronized (this) {
                int n = rewriter.rewrite(buf, off, len, pt, scratch, 0, System.nanoTime());
                if (n > 0) {
                    out.sendRtp(scratch, 0, n);
                }
            }
        }

        @Override
        public void close() {
            accepted = false;
            output = null;
        }
    }
}
