package dev.voicebridge.media.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's blocking {@link DatagramTransport} on top of a non-blocking packet source: the
 * socket's receive loop {@link #offer offers} DTLS records (RFC 7983 first byte 20..63) into a
 * bounded queue and never waits; the handshake thread (a virtual thread) blocks in
 * {@link #receive}.
 *
 * <p><b>Flight packing.</b> During the handshake, the records BouncyCastle writes one by one are
 * packed into as few datagrams as fit the MTU (RFC 6347 §4.1.1 allows several records per
 * datagram; libwebrtc's BoringSSL does the same) and leave when the handshake turns to wait for
 * the peer ({@link #receive}) or ends. A flight in one datagram cannot be reordered on the way:
 * measured with a relay that reorders (30 ms uniform jitter), BouncyCastle's server dropped a
 * Finished that overtook its ChangeCipherSpec (RFC 6347 §4.1 lets it discard next-epoch records),
 * and three flights in four failed the same way on retransmission. It also means one loss per
 * flight instead of up to five. After the handshake, sends go straight out.
 */
public final class QueueDatagramTransport implements DatagramTransport {
    /** Conservative DTLS MTU: fits IPv6 + UDP within 1280 with room for TURN-like overhead. */
    public static final int MTU = 1200;

    private final BlockingQueue<byte[]> inbound;
    private final DatagramSender sender;
    private final AtomicLong dropped = new AtomicLong();
    private final byte[] flight = new byte[MTU];
    private int flightLength;
    private boolean packing = true;
    private long packedDatagrams;
    /** Flights sent during the handshake (their {@link DtlsRecords#flightSignature}s), to tell resends. */
    private final long[] flights = new long[16];

    private int flightCount;
    private long retransmissions;
    private volatile int firstWaitMillis = -1;
    private volatile boolean closed;
    private volatile boolean aborted;

    public QueueDatagramTransport(DatagramSender sender, int queueCapacity) {
        this.sender = sender;
        this.inbound = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Called by the receive loop with a copy of one datagram. Never blocks; counts drops. */
    public boolean offer(byte[] datagram) {
        if (closed || !inbound.offer(datagram)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        if (flushFlight() && firstWaitMillis < 0) {
            firstWaitMillis = waitMillis;
        }
        byte[] datagram;
        try {
            datagram = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for DTLS records", e);
        }
        if (datagram == null) {
            if (closed) {
                throw new IOException("DTLS transport closed");
            }
            return -1;
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        synchronized (flight) {
            if (packing && len <= MTU) {
                if (flightLength + len > MTU) {
                    flushFlight();
                }
                System.arraycopy(buf, off, flight, flightLength, len);
                flightLength += len;
                return;
            }
            flushFlight();
        }
        sender.send(buf, off, len);
    }

    /** The handshake is over (or failed): send what is packed, and send directly from now on. */
    public void endHandshake() {
        synchronized (flight) {
            flushFlight();
            packing = false;
        }
    }

    /** Datagrams that carried packed handshake records. */
    public long packedDatagrams() {
        synchronized (flight) {
            return packedDatagrams;
        }
    }

    /**
     * Handshake datagrams this side sent again: the peer's answer did not come within the resend
     * timer (lost, or the peer was not ready for it yet), RFC 6347 §4.2.4.
     */
    public long retransmissions() {
        synchronized (flight) {
            return retransmissions;
        }
    }

    /**
     * How long the handshake waited for the peer after its first flight before it would resend
     * it (BouncyCastle's initial resend timer, unless the handshake's own deadline was nearer);
     * -1 before the first flight.
     */
    public int firstWaitMillis() {
        return firstWaitMillis;
    }

    /** Sends the packed flight, if any; true when one went out. */
    private boolean flushFlight() {
        synchronized (flight) {
            if (flightLength == 0) {
                return false;
            }
            countFlight(DtlsRecords.flightSignature(flight, 0, flightLength));
            sender.send(flight, 0, flightLength);
            flightLength = 0;
            packedDatagrams++;
            return true;
        }
    }

    private void countFlight(long signature) {
        for (int i = 0; i < flightCount; i++) {
            if (flights[i] == signature) {
                retransmissions++;
                return;
            }
        }
        if (flightCount < flights.length) {
            flights[flightCount++] = signature;
        }
    }

    /** The owner (hang-up) ends the transport; a handshake in progress fails as TRANSPORT_CLOSED. */
    public void abort() {
        aborted = true;
        close();
    }

    public boolean isAborted() {
        return aborted;
    }

    /** Called by BouncyCastle when the DTLS connection closes or fails, and by {@link #abort}. */
    @Override
    public void close() {
        closed = true;
        inbound.clear();
    }
}
