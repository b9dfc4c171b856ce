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
 * {@link #receive}. Sends go straight out through the {@link DatagramSender}.
 */
public final class QueueDatagramTransport implements DatagramTransport {
    /** Conservative DTLS MTU: fits IPv6 + UDP within 1280 with room for TURN-like overhead. */
    public static final int MTU = 1200;

    private final BlockingQueue<byte[]> inbound;
    private final DatagramSender sender;
    private final AtomicLong dropped = new AtomicLong();
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
        sender.send(buf, off, len);
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
