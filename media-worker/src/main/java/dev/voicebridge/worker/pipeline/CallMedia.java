package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtcpMux;
import dev.voicebridge.media.rtp.RtcpPacket;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.media.sdp.AudioMedia;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The media pipeline of one call: {@link CallerToAgent} and {@link AgentToCaller} driven by the
 * shared {@link Pacer}, plus RTCP. See DESIGN.md in this package for the threads.
 *
 * <p>Thread contract: {@link #onDatagram}/{@link #onRtp}/{@link #onRtcp} may be called from the
 * transport's receive thread and only parse and enqueue (bounded, drops counted); the pacer thread
 * runs {@link #onTick}; {@link #markAccepted()}, {@link #stats()} and {@link #close()} may be
 * called from any thread. Native codec memory is freed by {@link #close()}, which waits for an
 * in-flight tick (microseconds) so no tick ever touches a freed codec.
 */
public final class CallMedia implements MediaHandler, Pacer.Tickable, AutoCloseable {
    private sealed interface Inbound {
        record Rtp(RtpPacket packet, long arrivalNanos) implements Inbound {}

        record Rtcp(List<RtcpPacket> packets, long arrivalNanos) implements Inbound {}
    }

    private final String callId;
    private final NanoClock clock;
    private final ArrayBlockingQueue<Inbound> inbound;
    private final ReentrantLock tickLock = new ReentrantLock();
    private final OpusDecoder decoder;
    private final OpusEncoder encoder;
    private final PlayoutQueue playoutQueue;
    private final CallerToAgent callerToAgent;
    private final AgentToCaller agentToCaller;
    private final RtcpReporter rtcp;
    private final FecTuner fecTuner;
    private final String cname;
    private final MediaConfig config;

    // Written by the transport thread(s).
    private final AtomicLong datagramsIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong malformedIn = new AtomicLong();
    private final AtomicLong droppedIn = new AtomicLong();

    private Pacer.Registration registration;
    private boolean closed;

    public CallMedia(
            String callId,
            MediaConfig config,
            PeerMedia peer,
            CallerAudioSink sink,
            RtpOutput output,
            NanoClock clock,
            LongSupplier epochMillis,
            RandomGenerator random) {
        this.callId = callId;
        this.clock = clock;
        this.config = config;
        this.inbound = new ArrayBlockingQueue<>(config.inboundQueuePackets());
        long ssrc = random.nextLong() & 0xFFFF_FFFFL;
        byte[] cnameBytes = new byte[12];
        random.nextBytes(cnameBytes);
        this.cname = HexFormat.of().formatHex(cnameBytes); // RFC 7022: random, per call, unlinkable
        this.decoder = OpusCodecs.decoder();
        try {
            this.encoder = OpusCodecs.encoder(OpusEncoderSettings.forPeer(
                            config.bitrateCap(),
                            peer.maxAverageBitrate(),
                            peer.maxPlaybackRate(),
                            peer.peerDecodesFec(),
                            config.expectedLossPercent())
                    .withComplexity(config.opusComplexity()));
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
        this.playoutQueue = new PlayoutQueue(config.playoutQueueMaxMillis());
        this.callerToAgent = new CallerToAgent(config, peer, sink, decoder);
        var packetizer = new RtpPacketizer(ssrc, peer.opusPayloadType(), random.nextInt(), random.nextLong());
        this.agentToCaller = new AgentToCaller(playoutQueue, encoder, packetizer, output);
        this.fecTuner = new FecTuner(
                encoder,
                config.expectedLossPercent(),
                config.fecLossFloorPercent(),
                config.opusComplexity(),
                config.opusFecComplexity());
        this.rtcp = new RtcpReporter(
                ssrc,
                cname,
                config.rtcpIntervalTicks(),
                packetizer,
                callerToAgent.reception(),
                output,
                epochMillis,
                fecTuner::onPeerReport);
    }

    /** Production wiring: system clocks, SecureRandom for SSRC/sequence/timestamp/CNAME. */
    public static CallMedia create(
            String callId, MediaConfig config, PeerMedia peer, CallerAudioSink sink, RtpOutput output) {
        return new CallMedia(
                callId, config, peer, sink, output, NanoClock.system(), System::currentTimeMillis, new SecureRandom());
    }

    /** Joins the shared clock; media starts flowing (receive now, send once accepted). */
    public synchronized CallMedia start(Pacer pacer) {
        if (registration != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        registration = pacer.register(this);
        return this;
    }

    /** A decrypted datagram from the transport: RTP or RTCP on the muxed port (RFC 5761). */
    public void onDatagram(byte[] buf, int offset, int length) {
        if (RtcpMux.isRtcp(buf, offset, length)) {
            onRtcp(buf, offset, length);
        } else {
            onRtp(buf, offset, length);
        }
    }

    /** {@link #onRtp} parses and enqueues for the pacer's next tick, from any thread. */
    @Override
    public boolean receivesOnAnyThread() {
        return true;
    }

    @Override
    public void onRtp(byte[] buf, int offset, int length) {
        datagramsIn.incrementAndGet();
        bytesIn.addAndGet(length);
        if (RtpParser.parse(buf, offset, length) instanceof RtpParseResult.Parsed(RtpPacket packet)) {
            enqueue(new Inbound.Rtp(packet, clock.nanoTime()));
        } else {
            malformedIn.incrementAndGet();
        }
    }

    @Override
    public void onRtcp(byte[] buf, int offset, int length) {
        if (RtcpCodec.parse(buf, offset, length)
                instanceof RtcpCodec.RtcpParseResult.Parsed(List<RtcpPacket> packets)) {
            enqueue(new Inbound.Rtcp(packets, clock.nanoTime()));
        } else {
            malformedIn.incrementAndGet();
        }
    }

    private void enqueue(Inbound item) {
        if (!inbound.offer(item)) {
            droppedIn.incrementAndGet();
        }
    }

    /**
     * WhatsApp's accept returned 200: from the next tick on, RTP and RTCP flow and never stop until
     * {@link #close()}.
     */
    @Override
    public void markAccepted() {
        agentToCaller.markAccepted();
    }

    /**
     * The peer answered our offer (an outbound call): from the next frame on we send with the
     * payload type its answer gives Opus (RFC 3264 6.1: each side sends with the numbers the
     * receiver declared) and within the bitrate and audio bandwidth it states
     * ({@code maxaveragebitrate}, {@code maxplaybackrate}, RFC 7587 6.1). The FEC budget stays
     * with the loss the peer reports.
     */
    @Override
    public void peerAnswered(AudioMedia answer) {
        var caps = OpusEncoderSettings.forPeer(
                config.bitrateCap(),
                answer.opus().maxAverageBitrate(),
                answer.opus().maxPlaybackRate(),
                answer.opus().useInbandFec(),
                config.expectedLossPercent());
        tickLock.lock();
        try {
            if (!closed) {
                encoder.cap(caps.bitrate(), caps.maxPlaybackRate());
                agentToCaller.packetizer().payloadType(answer.opus().payloadType());
            }
        } finally {
            tickLock.unlock();
        }
    }

    /** The encoder's settings now (bitrate, bandwidth, FEC budget, complexity). */
    public OpusEncoderSettings encoderSettings() {
        tickLock.lock();
        try {
            return encoder.settings();
        } finally {
            tickLock.unlock();
        }
    }

    /** Where the agent plane puts its audio (and flushes on barge-in). */
    @Override
    public AgentAudioOutput agentOutput() {
        return playoutQueue;
    }

    @Override
    public long localSsrc() {
        return agentToCaller.packetizer().ssrc();
    }

    /** Our RTCP CNAME, to announce with the SSRC in the SDP answer. */
    @Override
    public String cname() {
        return cname;
    }

    /** The send path: the agent's next frame (or silence) encoded and sent, and RTCP when due. */
    @Override
    public void onTick(long tick, long scheduledNanos) {
        // Contended only by stats() and close(), each a few microseconds.
        tickLock.lock();
        try {
            if (closed) {
                return;
            }
            if (agentToCaller.tick(tick)) {
                // The call's own clock, the one packet arrivals were stamped with (DLSR is a difference).
                rtcp.maybeSend(tick, clock.nanoTime());
            }
        } finally {
            tickLock.unlock();
        }
    }

    /**
     * The receive side, once the shard's packets of this tick went out: what arrived since the
     * last tick, and the caller's next frame decoded for the agent.
     */
    @Override
    public void afterSends(long tick) {
        tickLock.lock();
        try {
            if (closed) {
                return;
            }
            Inbound item;
            while ((item = inbound.poll()) != null) {
                switch (item) {
                    case Inbound.Rtp(RtpPacket p, long arrival) -> callerToAgent.accept(p, arrival);
                    case Inbound.Rtcp(List<RtcpPacket> packets, long arrival) ->
                        rtcp.onReceived(packets, arrival, clock.nanoTime());
                }
            }
            callerToAgent.playout();
        } finally {
            tickLock.unlock();
        }
    }

    @Override
    public MediaStats stats() {
        tickLock.lock();
        try {
            var reception = callerToAgent.reception();
            var jb = callerToAgent.jitterBuffer();
            var packetizer = agentToCaller.packetizer();
            return new MediaStats(
                    datagramsIn.get(),
                    bytesIn.get(),
                    malformedIn.get(),
                    droppedIn.get(),
                    callerToAgent.unknownPayload(),
                    Math.max(0, reception.cumulativeLost()),
                    rtcp.fractionLost(),
                    reception.jitter().millis(),
                    jb.latePackets(),
                    jb.duplicatePackets(),
                    jb.backlogDroppedFrames() * MediaConfig.FRAME_MILLIS,
                    (callerToAgent.fecFrames() + callerToAgent.plcFrames()) * MediaConfig.FRAME_MILLIS,
                    callerToAgent.fecFrames(),
                    callerToAgent.plcFrames(),
                    callerToAgent.decodeErrors(),
                    jb.depthFrames() * MediaConfig.FRAME_MILLIS,
                    jb.targetFrames() * MediaConfig.FRAME_MILLIS,
                    callerToAgent.dtmfDigits(),
                    packetizer.packets(),
                    agentToCaller.bytesOut(),
                    agentToCaller.audioFrames(),
                    agentToCaller.silenceFrames(),
                    rtcp.received(),
                    rtcp.sent(),
                    rtcp.roundTripMillis(),
                    playoutQueue.queuedMillis(),
                    playoutQueue.droppedMillis(),
                    agentToCaller.accepted(),
                    fecTuner.budgetPercent(),
                    encoder.settings().complexity());
        } finally {
            tickLock.unlock();
        }
    }

    /** Leaves the pacer and frees the codecs; idempotent. No RTP is sent after it returns. */
    @Override
    public void close() {
        Pacer.Registration r;
        synchronized (this) {
            r = registration;
            registration = null;
        }
        if (r != null) {
            r.close();
        }
        tickLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            encoder.close();
            decoder.close();
            inbound.clear();
        } finally {
            tickLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "CallMedia[" + callId + ": " + callerToAgent + "; " + agentToCaller + "; " + fecTuner + "; " + rtcp
                + "]";
    }
}
