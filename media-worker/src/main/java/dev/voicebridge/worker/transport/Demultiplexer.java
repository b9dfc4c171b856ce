package dev.voicebridge.worker.transport;

import dev.voicebridge.helidon.log.RateLimitedLog;
import dev.voicebridge.media.dtls.DtlsRecords;
import dev.voicebridge.media.rtp.RtcpCodec;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared port's routing, without the socket: every datagram is checked for the framing its
 * first byte claims (RFC 7983), then handed to the one call it belongs to:
 *
 * <ul>
 *   <li>STUN requests by the local ufrag in USERNAME ({@code <our ufrag>:<their ufrag>}, RFC 8445
 *       §7.2.2) — how a full-ICE peer reaches the right call;
 *   <li>STUN responses by transaction id, registered when the call's ice4j agent sent the request
 *       — how our checks' answers come back, also from an ICE-lite peer that never sends a request
 *       (why ice4j's SinglePortUdpHarvester, which only learns sessions from inbound requests,
 *       does not fit this leg);
 *   <li>DTLS/RTP/RTCP by the remote address ICE validated for the call, or, before that, the
 *       address a success response to one of the call's checks came from: an ICE-lite peer in
 *       the DTLS client role (OpenAI answers {@code a=setup:active}) sends its ClientHello as soon
 *       as it has answered our nominating check, before our side has the pair; unroutable, it
 *       waited for the client's first retransmission (a second with RFC 6347's timer).
 * </ul>
 *
 * <p>Any bytes are data here: nothing thrown by a parser (they return values) and nothing a
 * handler throws escapes {@link #dispatch}. Malformed datagrams are counted by kind and logged at
 * most once per kind every {@link #LOG_INTERVAL}, without a stack trace; a handler that throws is
 * our bug and gets one, rate-limited the same way. Called by one thread (the receive loop); the
 * routes are changed by the calls' threads.
 */
public final class Demultiplexer {
    /** No peer of ours sends more (DTLS flights are packed to 1200 bytes, RTP is far smaller). */
    public static final int MAX_DATAGRAM = 2048;

    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Demultiplexer.class.getName());

    private final Map<String, DatagramHandler> byUfrag = new ConcurrentHashMap<>();
    private final Map<TransactionId, DatagramHandler> byTransaction = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, DatagramHandler> byAddress = new ConcurrentHashMap<>();
    private final Counters counters;

    public Demultiplexer() {
        this(new Counters());
    }

    /** Routes of their own that count into {@code counters} (a relayed call's leg port, its worker's). */
    Demultiplexer(Counters counters) {
        this.counters = counters;
    }

    /**
     * What the demultiplexers of one worker dropped and routed, and their rate-limited log: one
     * set for the shared port and every leg port, so the port's metrics cover them all.
     */
    static final class Counters {
        private final LongAdder received = new LongAdder();
        private final LongAdder unroutable = new LongAdder();
        private final LongAdder handlerErrors = new LongAdder();
        private final Map<MalformedKind, LongAdder> malformed = new EnumMap<>(MalformedKind.class);
        private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 1, LOG_INTERVAL);

        Counters() {
            for (MalformedKind kind : MalformedKind.values()) {
                malformed.put(kind, new LongAdder());
            }
        }
    }

    public void registerUfrag(String localUfrag, DatagramHandler handler) {
        byUfrag.put(localUfrag, handler);
    }

    public void registerTransaction(TransactionId id, DatagramHandler handler) {
        byTransaction.put(id, handler);
    }

    public void forgetTransaction(TransactionId id) {
        byTransaction.remove(id);
    }

    public void registerAddress(InetSocketAddress remote, DatagramHandler handler) {
        byAddress.put(remote, handler);
    }

    /** Removes every route to {@code handler} (call ended). */
    public void unregister(DatagramHandler handler) {
        byUfrag.values().removeIf(h -> h == handler);
        byTransaction.values().removeIf(h -> h == handler);
        byAddress.values().removeIf(h -> h == handler);
    }

    public int routeCount() {
        return byUfrag.size() + byTransaction.size() + byAddress.size();
    }

    /** One received datagram ({@code data} is a copy the handler may keep). Never throws. */
    public void dispatch(byte[] data, InetSocketAddress from) {
        counters.received.increment();
        if (data.length > MAX_DATAGRAM) {
            malformed(MalformedKind.OVERSIZED, data.length, "longer than " + MAX_DATAGRAM);
            return;
        }
        PacketKind kind = PacketKind.classify(data, 0, data.length);
        try {
            switch (kind) {
                case STUN -> stun(data, from);
                case DTLS -> media(kind, DtlsRecords.wellFormed(data, 0, data.length), data, from);
                case RTP -> media(kind, RtpParser.headerLength(data, 0, data.length) > 0, data, from);
                case RTCP -> media(kind, RtcpCodec.firstHeaderFits(data, 0, data.length), data, from);
                case UNKNOWN -> malformed(MalformedKind.UNKNOWN, data.length, "no RFC 7983 kind");
            }
        } catch (RuntimeException e) {
            // Parsers return values; this is a handler's bug. It must never stop the loop.
            counters.handlerErrors.increment();
            counters.rateLimited.log(Level.WARNING, "handler", () -> "a call's " + kind + " handler failed", e);
        }
    }

    private void stun(byte[] data, InetSocketAddress from) {
        StunMessage message = StunMessage.decode(data, 0, data.length);
        if (message == null) {
            malformed(MalformedKind.STUN, data.length, "not a well-formed STUN message");
            return;
        }
        DatagramHandler handler =
                switch (message.type()) {
                    case StunMessage.BINDING_REQUEST, StunMessage.BINDING_INDICATION -> byUsername(message.username());
                    default -> byTransaction.get(message.transactionKey());
                };
        if (handler == null) {
            counters.unroutable.increment();
            return;
        }
        if (message.type() == StunMessage.BINDING_SUCCESS) {
            // The answer to a check of ours (its 96-bit transaction id is the proof): the peer's
            // media may follow before ICE has told the call; an address a call holds is kept.
            byAddress.putIfAbsent(from, handler);
        }
        handler.onStun(message, data, from);
    }

    private DatagramHandler byUsername(String username) {
        if (username == null) {
            return null;
        }
        int colon = username.indexOf(':');
        return colon > 0 ? byUfrag.get(username.substring(0, colon)) : null;
    }

    private void media(PacketKind kind, boolean wellFormed, byte[] data, InetSocketAddress from) {
        if (!wellFormed) {
            malformed(MalformedKind.of(kind), data.length, "framing does not hold");
            return;
        }
        DatagramHandler handler = byAddress.get(from);
        if (handler == null) {
            counters.unroutable.increment();
            return;
        }
        handler.onMedia(kind, data, from);
    }

    private void malformed(MalformedKind kind, int length, String why) {
        counters.malformed.get(kind).increment();
        counters.rateLimited.log(
                Level.INFO,
                kind.label(),
                () -> "dropped a malformed " + kind.label() + " datagram (" + length + " bytes: " + why
                        + "); counted in voicebridge_worker_media_port_malformed{kind=\"" + kind.label() + "\"}");
    }

    long received() {
        return counters.received.sum();
    }

    long unroutable() {
        return counters.unroutable.sum();
    }

    long handlerErrors() {
        return counters.handlerErrors.sum();
    }

    Map<MalformedKind, Long> malformed() {
        var out = new EnumMap<MalformedKind, Long>(MalformedKind.class);
        counters.malformed.forEach((kind, count) -> out.put(kind, count.sum()));
        return out;
    }
}
