package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.dtls.DtlsFailure;
import dev.voicebridge.media.dtls.DtlsHandshakeException;
import dev.voicebridge.media.dtls.Fingerprint;
import dev.voicebridge.media.dtls.QueueDatagramTransport;
import dev.voicebridge.worker.transport.MediaPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One call's DTLS leg (RFC 5764) over the ICE-selected pair: the blocking handshake on its own
 * virtual thread, in the role the SDP left us, with a first resend tuned to the ICE round trip;
 * every outcome is posted to the call's owner. Apart from that thread, all methods run on the
 * owner.
 */
final class DtlsHandshake {
    static final Duration MIN_RESEND = Duration.ofMillis(50);

    /** What the handshake's thread posts to the owner. */
    interface Outcome {
        void connected(DtlsConnection connection);

        /** The connection, once up, was closed by the peer. */
        void closed();

        void failed(DtlsFailure failure);
    }

    private final String callId;
    private final DtlsEndpoint endpoint;
    private final MediaPort port;
    private final Executor owner;

    /**
     * The most records kept from before the handshake started: a peer in the DTLS client role
     * sends its ClientHello as soon as its side of ICE has the pair, which can be before ours has
     * (the port routes it from the first answer to our checks); dropped, it would wait for the
     * client's retransmission (a second with BouncyCastle's and RFC 6347's default).
     */
    static final int MAX_EARLY_RECORDS = 8;

    private QueueDatagramTransport transport;
    private List<byte[]> early;
    private long earlyRecords;
    private DtlsConnection connection;
    private Duration resend;

    DtlsHandshake(String callId, DtlsEndpoint endpoint, MediaPort port, Executor owner) {
        this.callId = callId;
        this.endpoint = endpoint;
        this.port = port;
        this.owner = owner;
    }

    /**
     * The DTLS client's first flight goes at once; if the peer does not answer within twice the
     * ICE round trip (at least {@link #MIN_RESEND}, libwebrtc's rule), it goes again, and again
     * after doubling intervals. With RFC 6347's default of one second, a ClientHello that reached a
     * peer not yet holding our answer cost the call a second of setup.
     */
    static Duration resend(Duration iceRoundTrip) {
        if (iceRoundTrip == null) {
            return DtlsEndpoint.DEFAULT_INITIAL_RESEND;
        }
        Duration twice = iceRoundTrip.multipliedBy(2);
        if (twice.compareTo(MIN_RESEND) < 0) {
            return MIN_RESEND;
        }
        return twice.compareTo(DtlsEndpoint.DEFAULT_INITIAL_RESEND) > 0 ? DtlsEndpoint.DEFAULT_INITIAL_RESEND : twice;
    }

    /** Starts the handshake with {@code to}, as client or server, checking the peer's fingerprint. */
    void start(InetSocketAddress to, Fingerprint expected, boolean client, Duration iceRoundTrip, Outcome outcome) {
        var queue = new QueueDatagramTransport((b, o, l) -> port.send(b, o, l, to), 64);
        transport = queue;
        if (early != null) {
            early.forEach(queue::offer);
            early = null;
        }
        Duration first = resend(iceRoundTrip);
        resend = first;
        Thread.ofVirtual().name("dtls-" + callId).start(() -> {
            try {
                DtlsConnection up =
                        client ? endpoint.connect(queue, expected, first) : endpoint.accept(queue, expected);
                owner.execute(() -> outcome.connected(up));
                up.serviceUntilClosed();
                owner.execute(outcome::closed);
            } catch (DtlsHandshakeException e) {
                owner.execute(() -> outcome.failed(e.failure()));
            }
        });
    }

    /**
     * A DTLS record from the peer; one that comes before the handshake started is kept for it
     * ({@link #MAX_EARLY_RECORDS} at most; the handshake checks them as any other).
     */
    void offer(byte[] record) {
        if (transport != null) {
            transport.offer(record);
            return;
        }
        if (early == null) {
            early = new ArrayList<>(2);
        }
        if (early.size() < MAX_EARLY_RECORDS) {
            early.add(record);
            earlyRecords++;
        }
    }

    /** Records kept from before the handshake started and handed to it. */
    long earlyRecords() {
        return earlyRecords;
    }

    /** The call took the connection (closed with {@link #close}). */
    void keep(DtlsConnection up) {
        connection = up;
    }

    /** Closes the connection, or aborts a handshake still running (its thread then fails). */
    void close() {
        if (connection != null) {
            connection.close();
        } else if (transport != null) {
            transport.abort();
        }
    }

    long dropped() {
        return transport == null ? 0 : transport.dropped();
    }

    long retransmissions() {
        return transport == null ? 0 : transport.retransmissions();
    }

    /** The first resend interval chosen, in ms; -1 before the handshake started. */
    long resendMillis() {
        return resend == null ? -1 : resend.toMillis();
    }
}
