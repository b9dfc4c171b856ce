package dev.voicebridge.worker.session;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsFailure;
import dev.voicebridge.media.dtls.DtlsHandshakeException;
import dev.voicebridge.media.dtls.Fingerprint;
import dev.voicebridge.media.dtls.QueueDatagramTransport;
import dev.voicebridge.media.sdp.AnswerSpec;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.sdp.SdpAnswerBuilder;
import dev.voicebridge.media.sdp.SdpOffer;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.worker.ice.IceAgent;
import dev.voicebridge.worker.ice.IceListener;
import dev.voicebridge.worker.ice.RemoteCandidate;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.PacketKind;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One call's WebRTC transport: offer in → answer out → ICE (controlling) → DTLS client → SRTP,
 * then plaintext RTP to and from the {@link MediaHandler}.
 *
 * <p>Threading: all state lives on one owner — a single virtual thread draining a bounded mailbox.
 * The shared port's receive loop only enqueues datagrams here; timers only enqueue; the blocking
 * DTLS handshake runs on its own virtual thread and posts its outcome back. The send path
 * ({@link RtpOutput}) is called by the pacing thread and touches only SRTP (thread-safe) and
 * volatile flags.
 */
public final class CallSession implements DatagramHandler {
    private static final Logger LOG = Logger.getLogger(CallSession.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String callId;
    private final SharedResources shared;
    private final MediaHandler media;
    private final SessionListener listener;
    private final SdpOffer offer;
    private final IceCredentials localIce;
    private final String answer;
    private final ThreadPoolExecutor owner;
    private final IceAgent ice;
    private final Output output = new Output();

    private final LongAdder mailboxDrops = new LongAdder();
    private final LongAdder rtpReceived = new LongAdder();
    private final LongAdder rtcpReceived = new LongAdder();
    private final LongAdder rtpSent = new LongAdder();
    private final LongAdder rtcpSent = new LongAdder();
    private final LongAdder heldBeforeAccept = new LongAdder();

    // Owner-thread state.
    private final PacketBuffer receiveBuffer = new PacketBuffer(1500);
    private QueueDatagramTransport dtlsTransport;
    private DtlsConnection dtls;
    private ScheduledFuture<?> mediaTimer;
    private long iceMillis = -1;
    private long dtlsMillis = -1;

    // Read by the pacing thread.
    private volatile SrtpSession srtp;
    private volatile InetSocketAddress remote;
    private volatile boolean accepted;
    private volatile State state = State.NEW;
    private volatile EndReason endReason;

    enum State {
        NEW,
        CONNECTING_ICE,
        CONNECTING_DTLS,
        CONNECTED,
        ENDED
    }

    CallSession(String callId, SdpOffer offer, SharedResources shared, MediaHandler media, SessionListener listener) {
        this.callId = callId;
        this.offer = offer;
        this.shared = shared;
        this.media = media;
        this.listener = listener;
        this.localIce = new IceCredentials(randomToken(6), randomToken(18));
        this.owner = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(shared.config().callQueueCapacity()),
                Thread.ofVirtual().name("call-" + callId).factory(),
                (task, executor) -> mailboxDrops.increment());
        var sdpFingerprint = shared.dtls().identity().fingerprint().toSdpValue().split(" ", 2);
        var spec = new AnswerSpec(
                localIce,
                new dev.voicebridge.media.sdp.Fingerprint(sdpFingerprint[0], sdpFingerprint[1]),
                shared.localCandidates(),
                1 + (RANDOM.nextLong() >>> 2));
        if (media.localSsrc() >= 0 && media.cname() != null) {
            spec = spec.withSsrc(media.localSsrc(), media.cname());
        }
        this.answer = new SdpAnswerBuilder().build(offer, spec);
        this.ice = new IceAgent(
                shared.config().ice(),
                localIce,
                offer.audio().ice(),
                RemoteCandidate.usable(offer.audio().candidates()),
                shared.port(),
                this,
                owner,
                shared.timer(),
                new IceEvents());
    }

    /** Standard base64 without padding: its alphabet is exactly the ice-chars of RFC 8839 §5.4. */
    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }

    public String callId() {
        return callId;
    }

    /** Our SDP answer (deterministic for this session: send the same bytes to pre_accept and accept). */
    public String answer() {
        return answer;
    }

    /** Starts ICE. The answer may be handed out before or after. */
    public void start() {
        submit(() -> {
            if (state != State.NEW) {
                return;
            }
            state = State.CONNECTING_ICE;
            shared.port().registerUfrag(localIce.ufrag(), this);
            Duration timeout = shared.config().mediaTimeout();
            mediaTimer = shared.timer()
                    .schedule(
                            () -> submit(() -> {
                                if (state != State.CONNECTED) {
                                    end(EndReason.MediaTimeout, "transport not up after " + timeout);
                                }
                            }),
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
            ice.start();
        });
    }

    /** WhatsApp accepted the call (Graph accept returned 200): RTP may flow from now on. */
    public void markAccepted() {
        accepted = true;
        media.onAccepted();
    }

    /** The pipeline's agent-side port, when this session runs the audio pipeline. */
    public dev.voicebridge.worker.audio.AgentAudioOutput agentOutput() {
        if (media instanceof PipelineMedia pipeline) {
            return pipeline.agentOutput();
        }
        throw new IllegalStateException("call " + callId + " does not run the audio pipeline");
    }

    public boolean isAccepted() {
        return accepted;
    }

    public void hangup(EndReason reason) {
        submit(() -> end(reason, "hangup"));
    }

    public EndReason endReason() {
        return endReason;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    public boolean isEnded() {
        return state == State.ENDED;
    }

    /** A consistent snapshot, taken on the owner thread. */
    public CompletableFuture<CallStats> stats() {
        var future = new CompletableFuture<CallStats>();
        try {
            owner.execute(() -> future.complete(snapshot()));
        } catch (RuntimeException e) {
            future.complete(snapshot());
        }
        if (owner.isShutdown() && !future.isDone()) {
            future.complete(snapshot());
        }
        return future;
    }

    private CallStats snapshot() {
        SrtpSession s = srtp;
        return new CallStats(
                callId,
                state.name(),
                ice.stats(),
                iceMillis,
                dtlsMillis,
                s == null ? null : s.profile().name(),
                s == null ? null : s.stats(),
                rtpSent.sum(),
                rtcpSent.sum(),
                rtpReceived.sum(),
                rtcpReceived.sum(),
                heldBeforeAccept.sum(),
                mailboxDrops.sum(),
                dtlsTransport == null ? 0 : dtlsTransport.dropped(),
                media instanceof PipelineMedia pipeline ? pipeline.stats() : null,
                endReason == null ? null : endReason.name());
    }

    // --- receive loop → owner ---------------------------------------------------------------

    @Override
    public void onStun(byte[] data, InetSocketAddress from) {
        submit(() -> ice.onStun(data, from));
    }

    @Override
    public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
        submit(() -> handleMedia(kind, data));
    }

    private void handleMedia(PacketKind kind, byte[] data) {
        switch (kind) {
            case DTLS -> {
                if (dtlsTransport != null) {
                    dtlsTransport.offer(data);
                }
            }
            case RTP -> {
                SrtpSession s = srtp;
                if (s != null && s.unprotectRtp(receiveBuffer.set(data, 0, data.length))) {
                    rtpReceived.increment();
                    media.onRtp(receiveBuffer.getBuffer(), receiveBuffer.getOffset(), receiveBuffer.getLength());
                }
            }
            case RTCP -> {
                SrtpSession s = srtp;
                if (s != null && s.unprotectRtcp(receiveBuffer.set(data, 0, data.length))) {
                    rtcpReceived.increment();
                    media.onRtcp(receiveBuffer.getBuffer(), receiveBuffer.getOffset(), receiveBuffer.getLength());
                }
            }
            default -> {}
        }
    }

    private void submit(Runnable task) {
        if (!owner.isShutdown()) {
            owner.execute(task);
        }
    }

    // --- ICE → DTLS → SRTP (owner thread) ------------------------------------------------------

    private final class IceEvents implements IceListener {
        @Override
        public void onConnected(InetSocketAddress selected, Duration elapsed) {
            if (state != State.CONNECTING_ICE) {
                return;
            }
            iceMillis = elapsed.toMillis();
            remote = selected;
            state = State.CONNECTING_DTLS;
            shared.port().registerAddress(selected, CallSession.this);
            startDtls(selected);
        }

        @Override
        public void onFailed(IceFailure failure) {
            end(EndReason.IceFailed, "ICE " + failure);
        }
    }

    private void startDtls(InetSocketAddress to) {
        var transport = new QueueDatagramTransport((b, o, l) -> shared.port().send(b, o, l, to), 64);
        dtlsTransport = transport;
        Fingerprint expected =
                Fingerprint.parse(offer.audio().preferredFingerprint().algorithm() + " "
                        + offer.audio().preferredFingerprint().hex());
        Thread.ofVirtual().name("dtls-" + callId).start(() -> {
            try {
                DtlsConnection connection = shared.dtls().connect(transport, expected);
                submit(() -> onDtlsConnected(connection));
                connection.serviceUntilClosed();
                submit(() -> end(EndReason.CallerHangup, "peer closed DTLS"));
            } catch (DtlsHandshakeException e) {
                submit(() -> end(
                        e.failure() == DtlsFailure.TRANSPORT_CLOSED
                                ? endReasonOr(EndReason.InternalError)
                                : EndReason.DtlsFailed,
                        "DTLS " + e.failure()));
            }
        });
    }

    private EndReason endReasonOr(EndReason fallback) {
        return endReason != null ? endReason : fallback;
    }

    private void onDtlsConnected(DtlsConnection connection) {
        if (state != State.CONNECTING_DTLS) {
            connection.close();
            return;
        }
        dtls = connection;
        dtlsMillis = connection.handshakeDuration().toMillis();
        srtp = new SrtpSession(connection.keys(), connection.role());
        state = State.CONNECTED;
        if (mediaTimer != null) {
            mediaTimer.cancel(false);
        }
        media.onTransportReady(output);
        listener.onConnected(this);
    }

    private void end(EndReason reason, String detail) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        endReason = reason;
        if (mediaTimer != null) {
            mediaTimer.cancel(false);
        }
        ice.close();
        shared.port().unregister(this);
        if (dtls != null) {
            dtls.close();
        } else if (dtlsTransport != null) {
            dtlsTransport.abort();
        }
        SrtpSession s = srtp;
        srtp = null;
        try {
            media.onClosed();
            listener.onEnded(this, reason, detail);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Listener failed for call " + callId, e);
        }
        if (s != null) {
            s.close();
        }
        owner.shutdown();
    }

    // --- send path (pacing thread) -------------------------------------------------------------

    private final class Output implements RtpOutput {
        private final PacketBuffer rtpBuffer = new PacketBuffer(1500);
        private final PacketBuffer rtcpBuffer = new PacketBuffer(1500);

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            if (!accepted) {
                heldBeforeAccept.increment();
                return false;
            }
            SrtpSession s = srtp;
            InetSocketAddress to = remote;
            if (s == null || to == null) {
                return false;
            }
            synchronized (rtpBuffer) {
                if (!s.protectRtp(rtpBuffer.set(buf, off, len))) {
                    return false;
                }
                shared.port().send(rtpBuffer.getBuffer(), rtpBuffer.getOffset(), rtpBuffer.getLength(), to);
            }
            rtpSent.increment();
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            SrtpSession s = srtp;
            InetSocketAddress to = remote;
            if (s == null || to == null) {
                return false;
            }
            synchronized (rtcpBuffer) {
                if (!s.protectRtcp(rtcpBuffer.set(buf, off, len))) {
                    return false;
                }
                shared.port().send(rtcpBuffer.getBuffer(), rtcpBuffer.getOffset(), rtcpBuffer.getLength(), to);
            }
            rtcpSent.increment();
            return true;
        }
    }
}
