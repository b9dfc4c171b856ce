package dev.voicebridge.media.dtls;

import java.io.IOException;
import java.time.Duration;
import org.bouncycastle.tls.DTLSTransport;

/**
 * An established DTLS association: the exported SRTP keys plus the record layer, which must keep
 * being read after the handshake so that a lost final flight is retransmitted (RFC 6347 §4.2.4)
 * and a peer's close_notify is noticed. {@link #serviceUntilClosed} does that on its own (virtual)
 * thread; DTLS application data is not used by WebRTC audio and is discarded.
 */
public final class DtlsConnection {
    private final DtlsRole role;
    private final DTLSTransport transport;
    private final QueueDatagramTransport datagrams;
    private final SrtpKeyingMaterial keys;
    private final Duration handshakeDuration;

    DtlsConnection(
            DtlsRole role,
            DTLSTransport transport,
            QueueDatagramTransport datagrams,
            SrtpKeyingMaterial keys,
            Duration handshakeDuration) {
        this.role = role;
        this.transport = transport;
        this.datagrams = datagrams;
        this.keys = keys;
        this.handshakeDuration = handshakeDuration;
    }

    public DtlsRole role() {
        return role;
    }

    public SrtpKeyingMaterial keys() {
        return keys;
    }

    public SrtpProfile profile() {
        return keys.profile();
    }

    public Duration handshakeDuration() {
        return handshakeDuration;
    }

    /**
     * Reads the record layer until the association closes (peer close_notify, fatal alert, or
     * {@link #close}). Blocks: run it on a dedicated virtual thread. Returns normally either way.
     */
    public void serviceUntilClosed() {
        byte[] buf = new byte[QueueDatagramTransport.MTU];
        while (!datagrams.isClosed()) {
            try {
                if (transport.receive(buf, 0, buf.length, 1000) < 0 && datagrams.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    public boolean isClosed() {
        return datagrams.isClosed();
    }

    /** Sends close_notify (best effort) and closes the transport. */
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            // Best effort: the peer learns about the end through signalling anyway.
        } finally {
            datagrams.abort();
        }
    }
}
