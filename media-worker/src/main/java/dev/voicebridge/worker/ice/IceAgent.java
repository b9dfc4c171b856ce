package dev.voicebridge.worker.ice;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.MediaPort;
import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.message.Message;

/**
 * One call's ICE: an ice4j full {@link Agent} in the controlling role, on the worker's shared port.
 *
 * <p>ice4j's own single-port harvester ({@code SinglePortUdpHarvester}) only learns a session from
 * an inbound binding request, so it cannot open a pair towards WhatsApp, which is ICE-lite and
 * never sends one. Here the agent's one host candidate per address family is backed by a
 * {@link CallStunSocket}: ice4j's connectivity checks, triggered checks, role-conflict handling,
 * nomination and consent freshness (RFC 7675) run unchanged, their datagrams leave through the
 * shared socket, and the port's demultiplexer brings this call's STUN back (requests by our
 * ufrag, responses by transaction id).
 *
 * <p>What ice4j leaves to its user is done here: a bound on how long checks may take, and ending
 * the call when the selected pair's consent is older than {@link IceConfig#consentTimeout()}
 * (ice4j keeps checking, but never gives up by itself). Both are deadlines, not polls: one timer
 * task at the checks' deadline, then one at the moment the selected pair's consent would be
 * {@code consentTimeout} old, moved on by each confirmation — about one task per agent per 25 s
 * instead of ten a second (two agents per relayed call; each task wakes the call's owner).
 *
 * <p>Threading: ice4j calls back on its own threads; every callback only posts to the call's
 * owner executor, where all of this class's state lives. {@link #onStun} is safe from the
 * receive loop.
 */
public final class IceAgent {
    private static final Logger LOG = Logger.getLogger(IceAgent.class.getName());

    private final IceConfig config;
    private final Executor owner;
    private final ScheduledExecutorService timer;
    private final IceListener listener;
    private final Agent agent;
    private final Component component;
    private final List<CallStunSocket> sockets = new ArrayList<>();
    private final InetSocketAddress localAddress;
    private final IceMediaStream stream;
    private final byte[] localKey;
    // Set once, before start(): at construction when answering, from the answer when offering.
    // Read by the receive loop (onStun), hence volatile.
    private volatile String expectedUsername;
    private volatile byte[] remoteKey;
    private final LongAdder rejected = new LongAdder();
    private final CheckBudget budget;

    private State state = State.NEW;
    private long startNanos;
    private long connectedNanos;
    private long connectMillis = -1;
    private CandidatePair selected;
    private InetSocketAddress selectedRemote;
    private ScheduledFuture<?> watchdog;

    private enum State {
        NEW,
        CHECKING,
        CONNECTED,
        FAILED,
        CLOSED
    }

    /**
     * @param localAddresses our candidates' addresses (the advertised ones, shared port number);
     *     one per address family is used
     * @param routeTo the call's handler the shared port routes answers to our checks to
     * @param remoteCandidates what {@link IceGuard#select} took from the offer
     * @param guard the worker's bounds on what a call's ICE sends
     */
    public IceAgent(
            IceConfig config,
            IceGuard guard,
            IceCredentials remote,
            List<RemoteCandidate> remoteCandidates,
            List<InetSocketAddress> localAddresses,
            MediaPort port,
            DatagramHandler routeTo,
            Executor owner,
            ScheduledExecutorService timer,
            IceListener listener) {
        this(config, guard, localAddresses, port, routeTo, owner, timer, listener);
        remote(remote, remoteCandidates);
    }

    /**
     * An agent whose peer is not known yet: on a call we offer, our credentials go into the offer
     * and the peer's come with its answer ({@link #remote}), before {@link #start}.
     */
    public IceAgent(
            IceConfig config,
            IceGuard guard,
            List<InetSocketAddress> localAddresses,
            MediaPort port,
            DatagramHandler routeTo,
            Executor owner,
            ScheduledExecutorService timer,
            IceListener listener) {
        Ice4jSettings.install(config);
        this.config = config;
        this.owner = owner;
        this.timer = timer;
        this.listener = listener;
        this.agent = new Agent();
        this.budget = guard.budget();
        this.localAddress = localAddresses.isEmpty() ? port.localAddress() : localAddresses.getFirst();
        try {
            for (InetSocketAddress a : onePerFamily(localAddresses)) {
                sockets.add(new CallStunSocket(a, port, routeTo, budget));
            }
            agent.setControlling(true);
            // RFC 8445 §7.3.1.1 compares tie-breakers unsigned: all ones wins every role conflict,
            // so a full-ICE offerer that also thinks it controls switches to controlled.
            agent.setTieBreaker(-1L);
            agent.setUseDynamicPorts(false);
            agent.setPerformConsentFreshness(true);
            agent.setTa(config.pacing().toMillis());
            agent.addCandidateHarvester(new SharedPortHarvester(sockets));
            stream = agent.createMediaStream("audio");
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("ICE agent setup failed", e);
        }
        localKey = agent.getLocalPassword().getBytes(StandardCharsets.UTF_8);
        agent.addStateChangeListener(this::onStateChange);
    }

    /**
     * The peer's credentials and the candidates {@link IceGuard#select} took from its description
     * (owner thread, once, before {@link #start}). Until then every STUN message is refused.
     */
    public void remote(IceCredentials remote, List<RemoteCandidate> remoteCandidates) {
        if (expectedUsername != null) {
            throw new IllegalStateException("the peer's ICE credentials are already set");
        }
        stream.setRemoteUfrag(remote.ufrag());
        stream.setRemotePassword(remote.pwd());
        for (RemoteCandidate c : remoteCandidates) {
            component.addRemoteCandidate(new org.ice4j.ice.RemoteCandidate(
                    new TransportAddress(c.address(), Transport.UDP),
                    component,
                    candidateType(c.type()),
                    c.foundation(),
                    c.priority(),
                    null));
        }
        remoteKey = remote.pwd().getBytes(StandardCharsets.UTF_8);
        expectedUsername = agent.getLocalUfrag() + ":" + remote.ufrag();
    }

    private static List<InetSocketAddress> onePerFamily(List<InetSocketAddress> addresses) {
        var out = new ArrayList<InetSocketAddress>();
        for (InetSocketAddress a : addresses) {
            if (out.stream()
                    .noneMatch(o -> o.getAddress().getClass() == a.getAddress().getClass())) {
                out.add(a);
            }
        }
        return out;
    }

    private static CandidateType candidateType(String sdpType) {
        try {
            return CandidateType.parse(sdpType);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CandidateType.HOST_CANDIDATE;
        }
    }

    /** Our ufrag and password, generated by ice4j: they go into the SDP answer. */
    public IceCredentials localCredentials() {
        return new IceCredentials(agent.getLocalUfrag(), agent.getLocalPassword());
    }

    /** Starts connectivity checks (owner thread). The ufrag route must already be registered. */
    public void start() {
        if (state != State.NEW) {
            return;
        }
        startNanos = System.nanoTime();
        state = State.CHECKING;
        if (expectedUsername == null
                || component.getRemoteCandidateCount() == 0
                || component.getLocalCandidateCount() == 0) {
            fail(IceListener.IceFailure.NO_USABLE_CANDIDATES);
            return;
        }
        watchAfter(config.checkTimeout().toMillis());
        agent.startConnectivityEstablishment();
    }

    /**
     * A STUN message the shared port decoded and routed to this call (receive loop; never blocks).
     *
     * <p>Only authentic, well-formed STUN reaches ice4j: requests must carry our USERNAME and verify with our
     * password, responses with the peer's (RFC 8445 §7.2.2, §7.2.5.2). Everything else is dropped
     * and counted, not answered — a 401 to a spoofed source would make us a reflector — and ice4j's
     * decoder, which throws on some malformed attributes, only ever sees well-formed messages.
     */
    public void onStun(StunMessage m, byte[] data, InetSocketAddress from) {
        String username = expectedUsername;
        byte[] peerKey = remoteKey;
        boolean authentic = username != null
                && switch (m.type()) {
                    case StunMessage.BINDING_REQUEST -> username.equals(m.username()) && m.verifyIntegrity(localKey);
                    case StunMessage.BINDING_SUCCESS, StunMessage.BINDING_ERROR -> m.verifyIntegrity(peerKey);
                    default -> false; // indications: nothing to answer, ice4j needs none
                };
        Message decoded = authentic && !sockets.isEmpty() ? ice4jDecode(data) : null;
        if (decoded == null) {
            rejected.increment();
            return;
        }
        for (CallStunSocket s : sockets) {
            if (s.getLocalAddress().getClass() == from.getAddress().getClass()) {
                s.offer(data, decoded, from);
                return;
            }
        }
        sockets.getFirst().offer(data, decoded, from);
    }

    /**
     * ice4j decodes attributes that follow MESSAGE-INTEGRITY, which the integrity check does not
     * cover, and throws on some malformed ones (a 4-byte ICE-CONTROLLED, an ERROR-CODE of class 0),
     * logging a SEVERE stack trace each time. Such a datagram is refused here instead (null); a
     * good one's decoding is what ice4j's stack is handed.
     */
    private static Message ice4jDecode(byte[] data) {
        try {
            return Message.decode(data, 0, data.length);
        } catch (StunException | RuntimeException e) {
            return null;
        }
    }

    /** Whether ice4j's reader threads for this call's sockets were retired (tests: threads per call). */
    public boolean readersRetired() {
        return !sockets.isEmpty() && sockets.stream().allMatch(CallStunSocket::readerRetired);
    }

    private void onStateChange(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName())) {
            return;
        }
        var newState = (IceProcessingState) event.getNewValue();
        try {
            owner.execute(() -> onIce4jState(newState));
        } catch (RuntimeException e) {
            // owner already shut down: the call ended
        }
    }

    private void onIce4jState(IceProcessingState ice4jState) {
        switch (ice4jState) {
            case COMPLETED -> {
                if (state != State.CHECKING) {
                    return;
                }
                CandidatePair pair = component.getSelectedPair();
                if (pair == null) {
                    return;
                }
                selected = pair;
                budget.selected();
                TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
                selectedRemote = new InetSocketAddress(remote.getAddress(), remote.getPort());
                state = State.CONNECTED;
                connectedNanos = System.nanoTime();
                connectMillis = Duration.ofNanos(connectedNanos - startNanos).toMillis();
                stopWatchdog();
                watchAfter(config.consentTimeout().toMillis());
                listener.onConnected(selectedRemote, Duration.ofMillis(connectMillis));
            }
            case FAILED ->
                fail(
                        state == State.CONNECTED
                                ? IceListener.IceFailure.CONSENT_LOST
                                : IceListener.IceFailure.CHECKS_TIMED_OUT);
            default -> {}
        }
    }

    /** The watchdog's next look, {@code millis} from now (owner thread). */
    private void watchAfter(long millis) {
        watchdog = timer.schedule(() -> owner.execute(this::onWatchdog), millis, TimeUnit.MILLISECONDS);
    }

    private void onWatchdog() {
        switch (state) {
            case CHECKING -> {
                long left = config.checkTimeout().toMillis()
                        - Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
                if (left <= 0) {
                    fail(IceListener.IceFailure.CHECKS_TIMED_OUT);
                } else {
                    watchAfter(left);
                }
            }
            case CONNECTED -> {
                // Consent confirmed since the last look moves the deadline: look again when the
                // newest confirmation would be consentTimeout old.
                long left = config.consentTimeout().toMillis() - consentAgeMillis();
                if (left < 0) {
                    fail(IceListener.IceFailure.CONSENT_LOST);
                } else {
                    watchAfter(left + 1);
                }
            }
            default -> {}
        }
    }

    /** Milliseconds since the selected pair's consent was last confirmed (or since it was selected). */
    private long consentAgeMillis() {
        if (selected == null) {
            return -1;
        }
        long sinceConnect = Duration.ofNanos(System.nanoTime() - connectedNanos).toMillis();
        long freshness = selected.getConsentFreshness();
        if (freshness == CandidatePair.CONSENT_FRESHNESS_UNKNOWN) {
            return sinceConnect;
        }
        return Math.min(sinceConnect, System.currentTimeMillis() - freshness);
    }

    private void fail(IceListener.IceFailure failure) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        state = State.FAILED;
        stopWatchdog();
        listener.onFailed(failure);
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    public InetSocketAddress selectedRemote() {
        return selectedRemote;
    }

    /**
     * The smallest round trip one of this call's checks measured (a check answered on its first
     * transmission), or null before any was answered. Safe from any thread.
     */
    public Duration roundTrip() {
        long min = -1;
        for (CallStunSocket s : sockets) {
            long rtt = s.minRoundTripNanos();
            if (rtt >= 0 && (min < 0 || rtt < min)) {
                min = rtt;
            }
        }
        return min < 0 ? null : Duration.ofNanos(min);
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Frees the agent: stops checks and consent, closes this call's STUN sockets. */
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        stopWatchdog();
        state = State.CLOSED;
        try {
            agent.free();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, LogLine.of("ice.agent-free-failed"), e);
        }
        sockets.forEach(CallStunSocket::close);
    }

    public IceStats stats() {
        long requestsSent = 0;
        long requestsReceived = 0;
        long responsesReceived = 0;
        long answered = 0;
        long refused = 0;
        long drops = 0;
        for (CallStunSocket s : sockets) {
            requestsSent += s.requestsSent.sum();
            requestsReceived += s.requestsReceived.sum();
            responsesReceived += s.responsesReceived.sum();
            answered += s.responsesSent.sum();
            refused += s.errorResponsesSent.sum();
            drops += s.queueDrops.sum();
        }
        return new IceStats(
                state.name(),
                agent.isControlling(),
                selectedRemote == null ? null : hostPort(localAddress) + " -> " + hostPort(selectedRemote),
                requestsSent,
                responsesReceived,
                requestsReceived,
                answered,
                refused,
                rejected.sum(),
                drops,
                consentAgeMillis(),
                connectMillis,
                roundTrip() == null ? -1 : roundTrip().toNanos() / 1000,
                budget.refused(),
                budget.destinations());
    }

    /** {@code 192.0.2.1:3480} or {@code [2001:db8::1]:3480}, without InetSocketAddress's host-name slash. */
    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() == null
                ? address.getHostString()
                : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
