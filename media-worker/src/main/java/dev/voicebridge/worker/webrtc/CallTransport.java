package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsFailure;
import dev.voicebridge.media.sdp.AudioMedia;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.sdp.SdpAnswer;
import dev.voicebridge.media.sdp.SdpOffer;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.ice.IceAgent;
import dev.voicebridge.worker.ice.IceListener;
import dev.voicebridge.worker.pipeline.MediaHandler;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.PacketKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * the owner's bounded media queue (a flood drops media, counted; see {@link CallReceiver});
 * timers, ICE and DTLS outcomes and hang-ups go to its control queue, which is never full and
 * always runs first, so no flood can cost a call its hang-up. The blocking DTLS handshake runs on
 * its own virtual thread and posts its outcome back ({@link DtlsHandshake}). The send path
 * ({@link SrtpSender}) is called by the pacing thread and touches only SRTP (thread-safe) and
 * volatile fields.
 */
public final class CallTransport implements DatagramHandler {
    private static final Logger LOG = Logger.getLogger(CallTransport.class.getName());
    private final String callId;
    private final SharedResources shared;
    private final MediaHandler media;
    private final TransportListener listener;
    private final IceCredentials localIce;
    private final LocalDescription description;

    private final boolean offering;
    private final CallMailbox owner;
    private final IceAgent ice;
    private final SrtpSender sender;
    private final DtlsHandshake dtls;
    private final CallReceiver receiver;

    // Owner-thread state.
    private ScheduledFuture<?> mediaTimer;
    private long iceMillis = -1;
    private long dtlsMillis = -1;
    private InetSocketAddress remote;
    /** The peer's audio section: from its offer, or (offering) from its answer. */
    private AudioMedia remoteAudio;

    private boolean dtlsClient = true;

    // Read by other threads (the receive thread, stats, the public accessors).
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
        this.owner = new CallMailbox(callId, shared.config().callQueueCapacity());
        this.dtls = new DtlsHandshake(callId, shared.dtls(), shared.port(), owner);
        this.receiver = new CallReceiver(media, owner, dtls, () -> submit(() -> listener.onCallerMedia(this)));
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
            this.description = LocalDescription.of(callId, offer, localIce, shared, media);
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
        return description.answer();
    }

    /** Our SDP offer of a business-initiated call (Graph connect carries it). */
    public String offer() {
        return description.offer();
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
        SrtpSession s = receiver.srtp();
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
                receiver.rtpReceived(),
                receiver.rtcpReceived(),
                sender.heldBeforeAccept(),
                owner.mediaDrops(),
                dtls.dropped(),
                dtls.resendMillis(),
                dtls.retransmissions(),
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
        receiver.onMedia(kind, data);
    }

    /** Datagrams handed to the owner's media queue (each one a wake-up of its virtual thread). */
    long ownerMediaTasks() {
        return receiver.ownerMediaTasks();
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
            dtls.start(selected, remoteAudio.preferredFingerprint(), dtlsClient, ice.roundTrip(), new DtlsEvents());
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

    private final class DtlsEvents implements DtlsHandshake.Outcome {
        @Override
        public void connected(DtlsConnection connection) {
            onDtlsConnected(connection);
        }

        @Override
        public void closed() {
            end(EndReason.CallerHangup, "peer closed DTLS");
        }

        @Override
        public void failed(DtlsFailure failure) {
            // A transport closed under the handshake: the call already ended (or we have a bug).
            boolean closedUnder = failure == DtlsFailure.TRANSPORT_CLOSED;
            EndReason ifClosed = endReason != null ? endReason : EndReason.InternalError;
            end(closedUnder ? ifClosed : EndReason.DtlsFailed, "DTLS " + failure);
        }
    }

    private void onDtlsConnected(DtlsConnection connection) {
        if (state != State.CONNECTING_DTLS) {
            connection.close();
            return;
        }
        dtls.keep(connection);
        dtlsMillis = connection.handshakeDuration().toMillis();
        var srtp = new SrtpSession(connection.keys(), connection.role());
        receiver.srtp(srtp);
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
        dtls.close();
        SrtpSession s = receiver.srtp();
        receiver.srtp(null);
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
