package dev.voicebridge.worker.ice;

import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A full ICE agent (RFC 8445) in the controlling role for one call on the shared port, with
 * consent freshness (RFC 7675).
 *
 * <p>Nomination is aggressive: every check carries USE-CANDIDATE, so the first pair that answers
 * is selected without a second round trip. That is what an ICE-lite peer (WhatsApp) expects — it
 * sends no checks of its own and nominates whatever the controlling side nominates — and a full
 * peer (libwebrtc) accepts it too. Incoming checks (full peers) are answered and trigger a check
 * back, including towards peer-reflexive addresses.
 *
 * <p>Our tie-breaker is the largest value, so a full-ICE offerer that also thinks it controls
 * loses the role conflict (RFC 8445 §7.3.1.1) and switches to controlled: the design has the
 * worker always controlling.
 *
 * <p>Threading: every method runs on the call's owner executor; timers only post to it.
 */
public final class IceAgent {
    /** RFC 8445 §5.1.2.1: host type preference 126, one local address, component 1. */
    static final long LOCAL_PRIORITY = (126L << 24) | (65535L << 8) | 255;
    /** Peer-reflexive type preference 110, carried in PRIORITY of our checks (§7.1.1). */
    static final long PRFLX_PRIORITY = (110L << 24) | (65535L << 8) | 255;

    static final long TIE_BREAKER = -1L;
    private static final int MAX_RTO_FACTOR = 8;

    private final IceConfig config;
    private final IceCredentials local;
    private final IceCredentials remote;
    private final byte[] localKey;
    private final byte[] remoteKey;
    private final SharedUdpPort port;
    private final DatagramHandler routeTo;
    private final Executor owner;
    private final ScheduledExecutorService timer;
    private final IceListener listener;
    private final List<Pair> pairs = new ArrayList<>();
    private final Map<TransactionId, Pair> checks = new HashMap<>();
    private final Map<TransactionId, Long> consentChecks = new HashMap<>();

    private State state = State.NEW;
    private long startNanos;
    private Pair selected;
    private long lastConsentNanos;
    private ScheduledFuture<?> tick;
    private long nextConsentNanos;
    private long checksSent;
    private long responses;
    private long answered;
    private long badIntegrity;
    private long consentSent;
    private long consentResponses;
    private long connectMillis = -1;

    private enum State {
        NEW,
        CHECKING,
        CONNECTED,
        FAILED,
        CLOSED
    }

    private static final class Pair {
        final InetSocketAddress remote;
        final TransactionId tid = TransactionId.random();
        long nextSendNanos;
        long rtoNanos;
        int attempts;

        Pair(InetSocketAddress remote) {
            this.remote = remote;
        }
    }

    public IceAgent(
            IceConfig config,
            IceCredentials local,
            IceCredentials remote,
            List<RemoteCandidate> remoteCandidates,
            SharedUdpPort port,
            DatagramHandler routeTo,
            Executor owner,
            ScheduledExecutorService timer,
            IceListener listener) {
        this.config = config;
        this.local = local;
        this.remote = remote;
        this.localKey = local.pwd().getBytes(StandardCharsets.UTF_8);
        this.remoteKey = remote.pwd().getBytes(StandardCharsets.UTF_8);
        this.port = port;
        this.routeTo = routeTo;
        this.owner = owner;
        this.timer = timer;
        this.listener = listener;
        for (RemoteCandidate c : remoteCandidates) {
            pairs.add(new Pair(c.address()));
        }
    }

    /** Starts connectivity checks. The ufrag route must already be registered by the caller. */
    public void start() {
        if (state != State.NEW) {
            return;
        }
        startNanos = System.nanoTime();
        state = State.CHECKING;
        if (pairs.isEmpty()) {
            fail(IceListener.IceFailure.NO_USABLE_CANDIDATES);
            return;
        }
        long rto = config.initialRto().toNanos();
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            p.rtoNanos = rto;
            // Paced: one new check per Ta (RFC 8445 §6.1.4.2).
            p.nextSendNanos = startNanos + i * config.pacing().toNanos();
            checks.put(p.tid, p);
            port.registerTransaction(p.tid, routeTo);
        }
        long period = config.pacing().toMillis();
        tick = timer.scheduleAtFixedRate(() -> owner.execute(this::onTick), 0, period, TimeUnit.MILLISECONDS);
    }

    /** A STUN datagram routed to this call (owner thread). */
    public void onStun(byte[] data, InetSocketAddress from) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        StunMessage m = StunMessage.decode(data, 0, data.length);
        if (m == null) {
            return;
        }
        switch (m.type()) {
            case StunMessage.BINDING_REQUEST -> onRequest(m, from);
            case StunMessage.BINDING_SUCCESS -> onSuccess(m, from);
            case StunMessage.BINDING_ERROR -> onError(m);
            default -> {
                // indications (keepalives) need no answer
            }
        }
    }

    private void onRequest(StunMessage m, InetSocketAddress from) {
        String expectedUser = local.ufrag() + ":" + remote.ufrag();
        if (!expectedUser.equals(m.username()) || !m.verifyIntegrity(localKey)) {
            badIntegrity++;
            return;
        }
        if (m.iceControlling() != null && Long.compareUnsigned(TIE_BREAKER, m.iceControlling()) >= 0) {
            // Role conflict: both controlling, ours wins → 487 (RFC 8445 §7.3.1.1).
            reply(
                    StunMessage.builder(StunMessage.BINDING_ERROR, m.transactionId())
                            .errorCode(487),
                    from);
            return;
        }
        reply(
                StunMessage.builder(StunMessage.BINDING_SUCCESS, m.transactionId())
                        .xorMappedAddress(from),
                from);
        answered++;
        if (state == State.CHECKING && pairs.stream().noneMatch(p -> p.remote.equals(from))) {
            // Peer-reflexive candidate (RFC 8445 §7.3.1.3) with a triggered check.
            var p = new Pair(from);
            p.rtoNanos = config.initialRto().toNanos();
            p.nextSendNanos = System.nanoTime();
            pairs.add(p);
            checks.put(p.tid, p);
            port.registerTransaction(p.tid, routeTo);
        }
    }

    private void reply(StunMessage.Builder builder, InetSocketAddress to) {
        byte[] out = builder.encode(localKey);
        port.send(out, 0, out.length, to);
    }

    private void onSuccess(StunMessage m, InetSocketAddress from) {
        if (!m.verifyIntegrity(remoteKey)) {
            badIntegrity++;
            return;
        }
        TransactionId tid = m.transactionKey();
        Long sentAt = consentChecks.remove(tid);
        if (sentAt != null) {
            port.forgetTransaction(tid);
            if (selected != null && selected.remote.equals(from)) {
                consentResponses++;
                lastConsentNanos = System.nanoTime();
            }
            return;
        }
        Pair p = checks.get(tid);
        // RFC 8445 §7.2.5.2.1: the response must come from where the check went (symmetric).
        if (p == null || !p.remote.equals(from)) {
            return;
        }
        responses++;
        if (state == State.CHECKING) {
            selected = p;
            state = State.CONNECTED;
            lastConsentNanos = System.nanoTime();
            nextConsentNanos = lastConsentNanos + jitteredConsentInterval();
            connectMillis = Duration.ofNanos(lastConsentNanos - startNanos).toMillis();
            forgetChecks();
            // Connected: consent needs a clock of seconds, not of Ta.
            tick.cancel(false);
            tick = timer.scheduleAtFixedRate(() -> owner.execute(this::onTick), 200, 200, TimeUnit.MILLISECONDS);
            listener.onConnected(p.remote, Duration.ofMillis(connectMillis));
        }
    }

    private void onError(StunMessage m) {
        TransactionId tid = m.transactionKey();
        if (consentChecks.remove(tid) != null) {
            port.forgetTransaction(tid);
            return;
        }
        Pair p = checks.remove(tid);
        if (p != null && m.verifyIntegrity(remoteKey)) {
            port.forgetTransaction(tid);
            pairs.remove(p);
        }
    }

    private void onTick() {
        long now = System.nanoTime();
        switch (state) {
            case CHECKING -> {
                if (now - startNanos > config.checkTimeout().toNanos()) {
                    fail(IceListener.IceFailure.CHECKS_TIMED_OUT);
                    return;
                }
                for (Pair p : pairs) {
                    if (checks.containsKey(p.tid) && now >= p.nextSendNanos) {
                        sendCheck(p.remote, p.tid, true);
                        p.attempts++;
                        p.nextSendNanos = now + p.rtoNanos;
                        p.rtoNanos =
                                Math.min(p.rtoNanos * 2, config.initialRto().toNanos() * MAX_RTO_FACTOR);
                        // One check per tick keeps the pacing (Ta) per call.
                        break;
                    }
                }
            }
            case CONNECTED -> {
                if (now - lastConsentNanos > config.consentTimeout().toNanos()) {
                    fail(IceListener.IceFailure.CONSENT_LOST);
                    return;
                }
                if (now >= nextConsentNanos) {
                    // Old unanswered consent checks stay unanswered: forget their routes.
                    consentChecks.keySet().forEach(port::forgetTransaction);
                    consentChecks.clear();
                    TransactionId tid = TransactionId.random();
                    consentChecks.put(tid, now);
                    port.registerTransaction(tid, routeTo);
                    sendCheck(selected.remote, tid, false);
                    consentSent++;
                    nextConsentNanos = now + jitteredConsentInterval();
                }
            }
            default -> {}
        }
    }

    private void sendCheck(InetSocketAddress to, TransactionId tid, boolean nominate) {
        byte[] out = StunMessage.builder(StunMessage.BINDING_REQUEST, tid.bytes())
                .username(remote.ufrag() + ":" + local.ufrag())
                .priority(PRFLX_PRIORITY)
                .iceControlling(TIE_BREAKER)
                .useCandidate(nominate)
                .encode(remoteKey);
        port.send(out, 0, out.length, to);
        checksSent++;
    }

    /** RFC 7675 §5.1: randomised between 0.8 and 1.2 times the interval. */
    private long jitteredConsentInterval() {
        long base = config.consentInterval().toNanos();
        return (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    private void fail(IceListener.IceFailure failure) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        state = State.FAILED;
        stopTimers();
        listener.onFailed(failure);
    }

    private void forgetChecks() {
        checks.keySet().forEach(port::forgetTransaction);
        checks.clear();
    }

    private void stopTimers() {
        if (tick != null) {
            tick.cancel(false);
        }
        forgetChecks();
        consentChecks.keySet().forEach(port::forgetTransaction);
        consentChecks.clear();
    }

    public InetSocketAddress selectedRemote() {
        return selected == null ? null : selected.remote;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    public void close() {
        stopTimers();
        state = State.CLOSED;
    }

    public IceStats stats() {
        return new IceStats(
                state.name(),
                selected == null ? null : port.localAddress() + " -> " + selected.remote,
                checksSent,
                responses,
                answered,
                badIntegrity,
                consentSent,
                consentResponses,
                connectMillis);
    }
}
