package dev.voicebridge.worker.relay;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.rtp.DtmfDecoder;
import dev.voicebridge.media.rtp.ReceptionStatistics;
import dev.voicebridge.media.rtp.ReportBlock;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.media.rtp.RtpStreamRewriter;
import dev.voicebridge.media.sdp.AudioMedia;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.pipeline.MediaStats;
import dev.voicebridge.worker.pipeline.RtpOutput;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
 * is counted and stays on its leg, the caller's key presses going to {@link #hearCallerKeys}.
 *
 * <p>RTCP: each leg reports, about every {@link #REPORT_INTERVAL_NANOS}, what it received from its
 * peer (a receiver report with one report block, and our CNAME: RFC 3550 6.4.2 and 6.1). The
 * block speaks for the whole path, not only its own hop: the loss and jitter the far end last
 * reported about the stream we forward it (the caller about the model's audio, the model about
 * the caller's) are folded in ({@link #endToEnd}), so each end's encoder adapts — Opus in-band FEC,
 * bitrate — to the loss its audio meets on the way to the listener, which on a relayed call is
 * mostly the caller's mobile hop. Received RTCP is not forwarded as is: a translator that rewrites
 * sequence numbers must translate the reports about them (RFC 3550 7.2), and the far end's
 * sequence numbers and round-trip timing belong to our stream, not the sender's.
 */
public final class OpusRelay {
    private static final int OPUS_CLOCK = 48_000;
    private static final int MAX_DATAGRAM = 1500;

    /** Packets sent from the held queue for each one that arrives while catching up. */
    static final int CATCH_UP = 2;

    /** The most packets held for the caller: 10 s; the oldest give way beyond. */
    static final int MAX_HELD = 500;

    /**
     * The encoder's quiet ({@link OpusCodecs#QUIET_PAYLOAD_BYTES}): trimmed from the head of the
     * held audio, so the greeting starts the moment it is released.
     */
    static final int QUIET_PAYLOAD_BYTES = OpusCodecs.QUIET_PAYLOAD_BYTES;

    /** RFC 3550 6.2's recommended minimum interval between one participant's reports. */
    static final long REPORT_INTERVAL_NANOS = 5_000_000_000L;

    /**
     * A far end's report older than this (three of our intervals) no longer speaks for its hop:
     * it stopped reporting, or its stream stopped.
     */
    static final long FAR_REPORT_TTL_NANOS = 3 * REPORT_INTERVAL_NANOS;

    private final Leg caller;
    private final Leg model;

    /**
     * @param callerOpusPayloadType the Opus payload type of the caller's offer, which our answer
     *     keeps; the model's leg learns its own from the model's answer
     */
    public OpusRelay(int callerOpusPayloadType) {
        this(callerOpusPayloadType, -1, System::nanoTime);
    }

    /** {@code modelOpusPayloadType}: -1 until the model's answer names it. */
    OpusRelay(int callerOpusPayloadType, int modelOpusPayloadType, LongSupplier clock) {
        var random = new SecureRandom();
        this.caller = new Leg("caller", callerOpusPayloadType, random, clock);
        this.model = new Leg("model", modelOpusPayloadType, random, clock);
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

    /**
     * The caller's key presses (RFC 4733 telephone-events on {@code dtmfPayloadType}, -1 until the
     * caller's answer names one) go to {@code keys}, once per key, on the receive thread: they are
     * not forwarded (the model hears no tones; the agent tells it the keys as text). Call before
     * the caller's transport starts.
     */
    public void hearCallerKeys(int dtmfPayloadType, Consumer<Character> keys) {
        caller.dtmfPayloadType = dtmfPayloadType;
        caller.keys = keys;
    }

    /**
     * From now on the model's audio waits at the caller's leg instead of being dropped while the
     * call is not accepted (a greeting asked for while pre-accepted), until {@link
     * #releaseToCaller()}.
     */
    public void holdForCaller() {
        caller.hold();
    }

    /**
     * The held audio goes to the caller now (the call is accepted and its lead-in has passed),
     * without the quiet the model sent before it spoke; the packets that arrive meanwhile queue
     * behind it, and each arrival sends {@link #CATCH_UP} queued packets until the caller's stream
     * has caught up with the model's (the caller's jitter buffer takes the faster packets as an
     * early arrival and plays them at their own pace).
     */
    public void releaseToCaller() {
        caller.release();
    }

    /** What crossed the relay so far. */
    public Stats stats() {
        return new Stats(
                caller.rewriter.forwarded(),
                model.rewriter.forwarded(),
                caller.held.get(),
                model.held.get(),
                caller.otherPayload.get() + model.otherPayload.get(),
                caller.rewriter.malformed() + model.rewriter.malformed() + caller.oversize.get() + model.oversize.get(),
                caller.reports.get(),
                model.reports.get());
    }

    /**
     * @param toCaller packets sent to the caller (the model's audio)
     * @param toModel packets sent to the model (the caller's audio)
     * @param heldForCaller model packets dropped because the caller's leg was not accepted yet
     * @param heldForModel caller packets dropped because the model's leg was not accepted yet
     * @param otherPayload packets of another payload type than the leg's Opus, not forwarded
     * @param malformed packets refused as not RTP, or larger than a datagram we send
     * @param reportsToCaller receiver reports sent to the caller about its stream
     * @param reportsToModel receiver reports sent to the model about its stream
     */
    public record Stats(
            long toCaller,
            long toModel,
            long heldForCaller,
            long heldForModel,
            long otherPayload,
            long malformed,
            long reportsToCaller,
            long reportsToModel) {}

    /**
     * Our block about a sender's stream on this hop, with the loss and jitter of the next hop (what
     * the listener reported about our forwarded stream) folded in: a packet arrives when it
     * survives both hops, so the fraction lost is {@code 1 - (1 - ours)(1 - theirs)} (in 1/256); the
     * cumulative counts and the jitters (both on Opus's 48 kHz clock) add. The sequence number and
     * the round-trip fields stay ours: they are about the sender's own stream and the reports it
     * gets from us.
     */
    static ReportBlock endToEnd(ReportBlock ours, ReportBlock far) {
        if (far == null) {
            return ours;
        }
        int fraction = ours.fractionLost() + far.fractionLost() - ours.fractionLost() * far.fractionLost() / 256;
        long cumulative = (long) ours.cumulativeLost() + Math.max(0, far.cumulativeLost());
        return new ReportBlock(
                ours.ssrc(),
                Math.min(255, fraction),
                (int) Math.min(0x7FFFFF, cumulative),
                ours.extendedHighestSequence(),
                Math.min(0xFFFF_FFFFL, ours.jitter() + far.jitter()),
                ours.lastSr(),
                ours.delaySinceLastSr());
    }

    /** One leg: what arrives on it goes to the peer leg; what the peer leg forwards is sent on it. */
    private static final class Leg implements MediaHandler {
        private final String name;
        private final RtpStreamRewriter rewriter;
        private final byte[] scratch = new byte[MAX_DATAGRAM];
        private final AtomicLong held = new AtomicLong();
        private final AtomicLong otherPayload = new AtomicLong();
        private final AtomicLong oversize = new AtomicLong();
        private final AtomicLong reports = new AtomicLong();
        private final AtomicLong rtcpIn = new AtomicLong();
        /** The latest block this leg's peer reported about our stream to it, and when it came. */
        private volatile ReportBlock farReport;

        private volatile long farReportNanos;
        private final AtomicLong keysHeard = new AtomicLong();
        private final AtomicLong bytesIn = new AtomicLong();
        private final AtomicLong bytesOut = new AtomicLong();
        private volatile int opusPayloadType;
        private volatile int dtmfPayloadType = -1;
        private volatile Consumer<Character> keys;
        private final DtmfDecoder dtmf = new DtmfDecoder();
        // Guarded by this: the peer's packets held for this leg, and whether more are to be held.
        private ArrayDeque<byte[]> backlog;
        private boolean holding;
        private volatile RtpOutput output;
        private volatile boolean accepted;
        private Leg peer;
        private final LongSupplier clock;
        // Guarded by reception: what arrived on this leg, for its receiver reports.
        private final ReceptionStatistics reception = new ReceptionStatistics(OPUS_CLOCK);
        private long lastReportNanos;
        private boolean reported;

        Leg(String name, int opusPayloadType, SecureRandom random, LongSupplier clock) {
            this.name = name;
            this.opusPayloadType = opusPayloadType;
            this.clock = clock;
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
            answer.telephoneEvent().ifPresent(t -> dtmfPayloadType = t.payloadType());
        }

        @Override
        public void markAccepted() {
            accepted = true;
        }

        /**
         * This leg's figures for its call's status: what arrived (Opus; loss and jitter from its
         * sequence numbers and timestamps), what was sent to it, its reports, its key presses.
         */
        @Override
        public MediaStats stats() {
            long in;
            long lost;
            double jitter;
            synchronized (reception) {
                in = reception.received();
                lost = reception.hasSource() ? reception.cumulativeLost() : 0;
                jitter = reception.jitter().millis();
            }
            long expected = in + Math.max(0, lost);
            return new MediaStats(
                    in,
                    bytesIn.get(),
                    peer.rewriter.malformed() + peer.oversize.get(), // what arrived here is refused there
                    0,
                    otherPayload.get(),
                    lost,
                    expected == 0 ? 0 : (double) Math.max(0, lost) / expected,
                    jitter,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    keysHeard.get(),
                    rewriter.forwarded(),
                    bytesOut.get(),
                    rewriter.forwarded(),
                    0,
                    rtcpIn.get(),
                    reports.get(),
                    0,
                    0,
                    0,
                    accepted,
                    0,
                    0);
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
                Consumer<Character> k = keys;
                if (k != null && len >= 2 && (buf[off + 1] & 0x7F) == dtmfPayloadType) {
                    keyPress(buf, off, len, k);
                }
                return;
            }
            bytesIn.addAndGet(len);
            peer.send(buf, off, len);
            if (len >= 12) {
                account(buf, off);
            }
        }

        /**
         * RTCP from this leg's peer: its reception report about our stream to it is kept, for the
         * other leg's reports to its own peer ({@link #endToEnd}). Nothing else is read.
         */
        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            rtcpIn.incrementAndGet();
            if (!(RtcpCodec.parse(buf, off, len) instanceof RtcpCodec.RtcpParseResult.Parsed parsed)) {
                return;
            }
            long ours = rewriter.ssrc();
            for (RtcpPacket packet : parsed.packets()) {
                List<ReportBlock> blocks =
                        switch (packet) {
                            case RtcpPacket.ReceiverReport rr -> rr.reports();
                            case RtcpPacket.SenderReport sr -> sr.reports();
                            default -> List.of();
                        };
                for (ReportBlock block : blocks) {
                    if (block.ssrc() == ours) {
                        farReportNanos = clock.getAsLong();
                        farReport = block;
                    }
                }
            }
        }

        /** A telephone-event packet: the key, once per event (its retransmissions are not). */
        private void keyPress(byte[] buf, int off, int len, Consumer<Character> k) {
            if (!(RtpParser.parse(buf, off, len) instanceof RtpParseResult.Parsed p)) {
                return;
            }
            Optional<Character> key;
            synchronized (dtmf) {
                key = dtmf.onPacket(p.packet().timestamp(), p.packet().payload());
            }
            if (key.isPresent()) {
                keysHeard.incrementAndGet();
                k.accept(key.get());
            }
        }

        /** Counts the packet for this leg's reports, and sends one when it is time. */
        private void account(byte[] buf, int off) {
            long now = clock.getAsLong();
            byte[] report = null;
            synchronized (reception) {
                reception.onPacket(u32(buf, off + 8), (int) (u32(buf, off) & 0xFFFF), u32(buf, off + 4), now);
                if (!reported) {
                    reported = true;
                    lastReportNanos = now; // the first report one interval after the first packet
                } else if (now - lastReportNanos >= REPORT_INTERVAL_NANOS && accepted) {
                    lastReportNanos = now;
                    ReportBlock block = endToEnd(reception.reportBlock(now), peer.farReport(now));
                    report = RtcpCodec.serialize(List.of(
                            new RtcpPacket.ReceiverReport(rewriter.ssrc(), List.of(block)),
                            new RtcpPacket.SourceDescription(
                                    List.of(new RtcpPacket.SourceDescription.Chunk(rewriter.ssrc(), cname())))));
                }
            }
            RtpOutput out = output;
            if (report != null && out != null) {
                synchronized (this) { // this leg's sends are serialized: one SRTP sender
                    out.sendRtcp(report, 0, report.length);
                }
                reports.incrementAndGet();
            }
        }

        /** What this leg's peer last reported about our stream, unless it is stale. */
        private ReportBlock farReport(long now) {
            ReportBlock far = farReport;
            return far != null && now - farReportNanos <= FAR_REPORT_TTL_NANOS ? far : null;
        }

        synchronized void hold() {
            holding = true;
            if (backlog == null) {
                backlog = new ArrayDeque<>();
            }
        }

        synchronized void release() {
            holding = false;
            if (backlog != null) {
                while (!backlog.isEmpty() && quiet(backlog.peek())) {
                    backlog.poll();
                }
            }
        }

        /** Sends a packet that arrived on the peer leg as one of ours (or holds it). */
        private void send(byte[] buf, int off, int len) {
            if (len > MAX_DATAGRAM) {
                oversize.incrementAndGet();
                return;
            }
            synchronized (this) {
                RtpOutput out = output;
                int pt = opusPayloadType;
                boolean ready = accepted && out != null && pt >= 0;
                if (holding || (backlog != null && !ready)) {
                    if (backlog.size() == MAX_HELD) {
                        backlog.poll();
                        held.incrementAndGet();
                    }
                    backlog.add(Arrays.copyOfRange(buf, off, off + len));
                    return;
                }
                if (!ready) {
                    held.incrementAndGet();
                    return;
                }
                if (backlog == null) {
                    forward(buf, off, len, pt, out);
                    return;
                }
                // Catching up: the held packets first, CATCH_UP of them for each that arrives.
                backlog.add(Arrays.copyOfRange(buf, off, off + len));
                for (int i = 0; i < CATCH_UP && !backlog.isEmpty(); i++) {
                    byte[] p = backlog.poll();
                    forward(p, 0, p.length, pt, out);
                }
                if (backlog.isEmpty()) {
                    backlog = null;
                }
            }
        }

        /** Under this leg's lock. */
        private void forward(byte[] buf, int off, int len, int pt, RtpOutput out) {
            int n = rewriter.rewrite(buf, off, len, pt, scratch, 0, clock.getAsLong());
            if (n > 0) {
                out.sendRtp(scratch, 0, n);
                bytesOut.addAndGet(n);
            }
        }

        /** An RTP packet whose payload is the encoder's quiet ({@link #QUIET_PAYLOAD_BYTES}). */
        private static boolean quiet(byte[] packet) {
            int header = RtpParser.headerLength(packet, 0, packet.length);
            if (header < 0) {
                return true;
            }
            int padding = (packet[0] & 0x20) != 0 ? packet[packet.length - 1] & 0xFF : 0;
            return packet.length - header - padding <= QUIET_PAYLOAD_BYTES;
        }

        @Override
        public void close() {
            accepted = false;
            output = null;
            synchronized (this) {
                backlog = null;
                holding = false;
            }
        }

        /** The big-endian 32 bits at {@code i}: bytes 0–3 of RTP hold the sequence number in 2–3. */
        private static long u32(byte[] b, int i) {
            return (b[i] & 0xFFL) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
        }
    }
}
