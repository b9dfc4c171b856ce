package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.dtls.DtlsFailure;
import dev.voicebridge.media.dtls.DtlsHandshakeException;
import dev.voicebridge.media.dtls.Fingerprint;
import dev.voicebridge.media.dtls.QueueDatagramTransport;
import dev.voicebridge.media.sdp.AnswerSpec;
import dev.voicebridge.media.sdp.AudioMedia;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.sdp.SdpAnswer;
import dev.voicebridge.media.sdp.SdpAnswerBuilder;
import dev.voicebridge.media.sdp.SdpOffer;
import dev.voicebridge.media.sdp.SdpOfferBuilder;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.ice.IceAgent;
import dev.voicebridge.worker.ice.IceListener;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.PacketKind;
import dev.voicebridge.worker.transport.ReceiveBudget;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One call's WebRTC transport: offer in → answer out → ICE (controlling) → DTLS client → SRTP,
 * then plaintext RTP to and from the {@link MediaHandler}. On a business-initiated call the
 * session is the offerer instead: our offer out (full ICE, {@code actpass}), the answer in
 * ({@link #applyAnswer}), ICE (controlling: WhatsApp is ICE-lite), and the DTLS role the answer's
 * {@code a=setup} leaves us (RFC 5763 section 5: {@code active} makes us the server, {@code
 * passive} the client).
 *
 * <p>Threading: all state lives on one owner — a single virtual thread ({@link CallMailbox}). The
 * shared port's receive loop removes SRTP from a connected call's RTP and RTCP itself, within a
 * per-call budget, when the media handler takes plaintext on any thread (the pipeline: it only
 * enqueues for the pacer); everything else, and a flood beyond the budget, it only enqueues, into
 * the owner's bounded media queue (a flood drops media, counted); timers, ICE and DTLS outcomes and hang-ups go to its control queue,
 * which is never full and always runs first, so no flood can cost a call its hang-up. The blocking
 * DTLS handshake runs on its own virtual thread and posts its outcome back. The send path
 * ({@link SrtpSender}) is called by the pacing thread and touches only SRTP (thread-safe) and
 * volatile fields.
 */
public final class CallTransport implements DatagramHandler {
    private static final Logger LOG = Logger.getLogger(CallTransport.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration MIN_DTLS_RESEND = Duration.ofMillis(50);
    /**
     * RTP/RTCP datagrams per 20 ms the receive thread unprotects itself for one call (normal media
     * is one or two); the rest queue for the owner (see {@link ReceiveBudget}).
     */
    static final int RECEIVE_THREAD_BUDGET = 8;

    private final String callId;
    private final SharedResources shared;
    private final MediaHandler media;
    private final TransportListener listener;
    private final IceCredentials localIce;
    /** Our description: the answer to the caller's offer, or our offer on an outbound call. */
    private final String description;

    private final boolean offering;
    private final CallMailbox owner;
    private final IceAgent ice;
    private final SrtpSender sender;

    private final LongAdder rtpReceived = new LongAdder();
    private final LongAdder rtcpReceived = new LongAdder();
    private final LongAdder ownerMediaTasks = new LongAdder();
    private final AtomicBoolean callerMediaSeen = new AtomicBoolean();

    // Receive-thread state (the shared port's loop is the only caller of onMedia).
    private final ReceiveBudget receiveBudget = new ReceiveBudget(RECEIVE_THREAD_BUDGET, 20_000_000L);
    private final PacketBuffer receiveThreadBuffer = new PacketBuffer(1500);

    // Owner-thread state.
    /** For the datagrams the owner unprotects (see {@link #onMedia}). */
    private final PacketBuffer receiveBuffer = new PacketBuffer(1500);

    private QueueDatagramTransport dtlsTransport;
    private DtlsConnection dtls;
    private ScheduledFuture<?> mediaTimer;
    private long iceMillis = -1;
    private long dtlsMillis = -1;
    private Duration dtlsResend;
    private InetSocketAddress remote;
    /** The peer's audio section: from its offer, or (offering) from its answer. */
    private AudioMedia remoteAudio;

    private boolean dtlsClient = true;

    // Read by other threads (the receive thread, stats, the public accessors).
    private volatile SrtpSession srtp;

    private volatile State state = State.NEW;
    private volatile EndReason endReason;

    enum State {
        NEW,
        CONNECTING_ICE,
        CONNECTING_DTLS,
        CONNECTED,
        ENDED
    }

    CallTransport(
            String callId,
            SdpOffer offer,
            SharedResources shared,
            MediaHandler media,
            TransportListener listener,
            SrtpSender sender) {
        this.callId = callId;
        this.sender = sender;
        this.shared = shared;
        this.media = media;
        this.listener = listener;
        this.offering = offer == null;
        this.owner = new CallMailbox("call-" + callId, shared.config().callQueueCapacity());
        var localAddresses = shared.localCandidates().stream()
                .map(c -> new InetSocketAddress(c.address(), c.port()))
                .toList();
        this.ice = offering
                ? new IceAgent(
                        shared.config().ice(),
                        shared.iceGuard(),
                        localAddresses,
                        shared.port(),
                        this,
                        owner,
                        shared.timer(),
                        new IceEvents())
                : new IceAgent(
                        shared.config().ice(),
                        shared.iceGuard(),
                        offer.audio().ice(),
                        shared.iceGuard().select(callId, offer.audio().candidates()),
                        localAddresses,
                        shared.port(),
                        this,
                        owner,
                        shared.timer(),
                        new IceEvents());
        this.localIce = ice.localCredentials();
        this.remoteAudio = offering ? null : offer.audio();
        try {
            var spec = new AnswerSpec(
                    localIce,
                    shared.dtls().identity().fingerprint(),
                    shared.localCandidates(),
                    1 + (RANDOM.nextLong() >>> 2));
            if (media.localSsrc() >= 0 && media.cname() != null) {
                spec = spec.withSsrc(media.localSsrc(), media.cname());
            }
            this.description = offering ? new SdpOfferBuilder().build(spec) : new SdpAnswerBuilder().build(offer, spec);
        } catch (RuntimeException e) {
            ice.close();
            owner.close();
            throw e;
        }
    }

    public String callId() {
        return callId;
    }

    /** Our SDP answer (deterministic for this session: send the same bytes to pre_accept and accept). */
    public String answer() {
        if (offering) {
            throw new IllegalStateException("call " + callId + " offers: see offer()");
        }
        return description;
    }

    /** Our SDP offer of a business-initiated call (Graph connect carries it). */
    public String offer() {
        if (!offering) {
            throw new IllegalStateException("call " + callId + " answers: see answer()");
        }
        return description;
    }

    public boolean isOffering() {
        return offering;
    }

    /**
     * Offering: applies the peer's answer and starts ICE, then DTLS in the role its {@code
     * a=setup} leaves us. Throws the parser's typed refusal for an answer we cannot use (→
     * InvalidAnswer); a second answer is refused too (WhatsApp sends one).
     */
    public void applyAnswer(String answerSdp) throws SdpRejectedException {
        if (!offering) {
            throw new IllegalStateException("call " + callId + " did not offer");
        }
        SdpAnswer answer = new SdpParser().parseAnswer(answerSdp);
        submit(() -> {
            if (state != State.NEW || remoteAudio != null) {
                return;
            }
            remoteAudio = answer.audio();
            dtlsClient = answer.weAreDtlsClient();
            media.peerAnswered(answer.audio());
            ice.remote(
                    answer.audio().ice(),
                    shared.iceGuard().select(callId, answer.audio().candidates()));
            begin();
        });
    }

    /** Starts ICE (answering: the answer may be handed out before or after; offering: see {@link #applyAnswer}). */
    public void start() {
        if (offering) {
            return;
        }
        submit(this::begin);
    }

    private void begin() {
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
    }

    /**
     * WhatsApp accepted the call (Graph accept returned 200; on a call we offered, WhatsApp's
     * ACCEPTED status): RTP may flow from now on.
     */
    public void markAccepted() {
        sender.accept();
        media.markAccepted();
    }

    /** Where the agent's audio goes: the call's audio pipeline's agent-side port. */
    public AgentAudioOutput agentOutput() {
        AgentAudioOutput output = media.agentOutput();
        if (output == null) {
            throw new IllegalStateException("call " + callId + " does not run the audio pipeline");
        }
        return output;
    }

    /** Whether ice4j's reader threads of this call were retired (see {@code Ice4jReaders}). */
    boolean iceReadersRetired() {
        return ice.readersRetired();
    }

    public void hangup(EndReason reason) {
        submit(() -> end(reason, "hangup"));
    }

    /** Media datagrams dropped because this call's queue was full (a flood); thread-safe. */
    public long mailboxDrops() {
        return owner.mediaDrops();
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    public boolean isEnded() {
        return state == State.ENDED;
    }

    /**
     * A consistent snapshot, taken on the owner thread (a control task: it runs ahead of any queued
     * media). Once the call ended, read here: the owner no longer changes anything.
     */
    public CompletableFuture<TransportStats> stats() {
        var future = new CompletableFuture<TransportStats>();
        if (!owner.offerControl(() -> future.complete(snapshot()))) {
            future.complete(snapshot());
        }
        return future;
    }

    private TransportStats snapshot() {
        SrtpSession s = srtp;
        return new TransportStats(
                callId,
                state.name(),
                ice.stats(),
                iceMillis,
                dtlsMillis,
                s == null ? null : s.profile().name(),
                s == null ? null : s.stats(),
                sender.rtpSent(),
                sender.rtcpSent(),
                rtpReceived.sum(),
                rtcpReceived.sum(),
                sender.heldBeforeAccept(),
                owner.mediaDrops(),
                dtlsTransport == null ? 0 : dtlsTransport.dropped(),
                dtlsResend == null ? -1 : dtlsResend.toMillis(),
                dtlsTransport == null ? 0 : dtlsTransport.retransmissions(),
                media.stats(),
                endReason == null ? null : endReason.name());
    }

    // --- receive loop → owner ---------------------------------------------------------------

    @Override
    public void onStun(StunMessage message, byte[] data, InetSocketAddress from) {
        // ice4j's STUN stack has its own reader thread for this call: straight to its queue.
        ice.onStun(message, data, from);
    }

    @Override
    public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
        // SRTP comes off right here (about a microsecond) when the media handler takes plaintext on
        // any thread: waking the owner for every datagram cost more than the work. DTLS, and what
        // exceeds the call's budget (a flood of its address), queue for the owner.
        if (kind != PacketKind.DTLS
                && srtp != null
                && media.receivesOnAnyThread()
                && receiveBudget.tryTake(System.nanoTime())) {
            receive(kind, data, receiveThreadBuffer);
            return;
        }
        ownerMediaTasks.increment();
        owner.offerMedia(() -> handleMedia(kind, data));
    }

    /** Datagrams handed to the owner's media queue (each one a wake-up of its virtual thread). */
    long ownerMediaTasks() {
        return ownerMediaTasks.sum();
    }

    private void handleMedia(PacketKind kind, byte[] data) {
        if (kind == PacketKind.DTLS) {
            if (dtlsTransport != null) {
                dtlsTransport.offer(data);
            }
        } else {
            receive(kind, data, receiveBuffer);
        }
    }

    /** Unprotects RTP or RTCP into {@code buffer} (the calling thread's own) and hands it on. */
    private void receive(PacketKind kind, byte[] data, PacketBuffer buffer) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        if (kind == PacketKind.RTP && s.unprotectRtp(buffer.set(data, 0, data.length))) {
            rtpReceived.increment();
            if (!callerMediaSeen.get() && callerMediaSeen.compareAndSet(false, true)) {
                submit(() -> listener.onCallerMedia(this));
            }
            media.onRtp(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
        } else if (kind == PacketKind.RTCP && s.unprotectRtcp(buffer.set(data, 0, data.length))) {
            rtcpReceived.increment();
            media.onRtcp(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
        }
    }

    /** Control work for the owner: never dropped while the call runs. */
    private void submit(Runnable task) {
        owner.execute(task);
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
            // Not the selected pair: its remote address is the caller's (status.media keeps it).
            LOG.info(() -> CallStep.ICE_CONNECTED.line(callId, "iceMs", iceMillis));
            state = State.CONNECTING_DTLS;
            shared.port().registerAddress(selected, CallTransport.this);
            startDtls(selected);
        }

        @Override
        public void onFailed(IceFailure failure) {
            // The counts tell "nothing answered" (reachability) from "nothing sent".
            var stats = ice.stats();
            end(
                    EndReason.IceFailed,
                    "ICE " + failure + " (" + stats.requestsSent() + " requests sent, " + stats.responsesReceived()
                            + " answered)");
        }
    }

    /**
     * The DTLS client's first flight goes at once; if the peer does not answer within twice the
     * ICE round trip (at least {@link #MIN_DTLS_RESEND}, libwebrtc's rule), it goes again, and
     * again after doubling intervals. With RFC 6347's default of one second, a ClientHello that
     * reached a peer not yet holding our answer cost the call a second of setup.
     */
    static Duration dtlsResend(Duration iceRoundTrip) {
        if (iceRoundTrip == null) {
            return DtlsEndpoint.DEFAULT_INITIAL_RESEND;
        }
        Duration twice = iceRoundTrip.multipliedBy(2);
        if (twice.compareTo(MIN_DTLS_RESEND) < 0) {
            return MIN_DTLS_RESEND;
        }
        return twice.compareTo(DtlsEndpoint.DEFAULT_INITIAL_RESEND) > 0 ? DtlsEndpoint.DEFAULT_INITIAL_RESEND : twice;
    }

    private void startDtls(InetSocketAddress to) {
        var transport = new QueueDatagramTransport((b, o, l) -> shared.port().send(b, o, l, to), 64);
        dtlsTransport = transport;
        Fingerprint expected = remoteAudio.preferredFingerprint();
        boolean client = dtlsClient;
        Duration resend = dtlsResend(ice.roundTrip());
        dtlsResend = resend;
        Thread.ofVirtual().name("dtls-" + callId).start(() -> {
            try {
                DtlsConnection connection = client
                        ? shared.dtls().connect(transport, expected, resend)
                        : shared.dtls().accept(transport, expected);
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
        sender.connect(srtp, remote);
        state = State.CONNECTED;
        LOG.info(() -> CallStep.DTLS_CONNECTED.line(
                callId, "dtlsMs", dtlsMillis, "srtp", srtp.profile().name(), "role", connection.role()));
        if (mediaTimer != null) {
            mediaTimer.cancel(false);
        }
        media.onTransportReady(sender);
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
        sender.disconnect();
        try {
            media.close();
            listener.onEnded(this, reason, detail);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, LogLine.of("call.listener-failed", LogLine.CALL, callId), e);
        }
        if (s != null) {
            s.close();
        }
        owner.close();
    }
}
