package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.dtls.DtlsHandshakeException;
import dev.voicebridge.media.dtls.QueueDatagramTransport;
import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.media.sdp.WhatsAppOffer;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.media.stun.IceLite;
import dev.voicebridge.media.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WhatsApp's side of the worker's start-up self-call, on its own loopback socket: ICE-lite (answers
 * the worker's checks, takes the nominated pair), DTLS server with the worker's own identity,
 * SRTP, and an echo — every RTP packet the worker sends comes back under the peer's SSRC, so the
 * worker's receive path (unprotect, jitter buffer, Opus decode) runs on real packets too. One
 * virtual thread reads the socket; the handshake runs on another.
 */
final class WarmUpPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int OPUS_PT = 111;

    private final DatagramChannel channel;
    private final DtlsEndpoint dtls;
    private final String ufrag;
    private final String pwd;
    private final byte[] pwdKey;
    private final long ssrc = RANDOM.nextInt() & 0xFFFF_FFFFL;
    private final PacketBuffer buffer = new PacketBuffer(1500);
    private final AtomicInteger echoed = new AtomicInteger();
    private final Thread reader;

    // reader thread
    private InetSocketAddress nominated;
    private int sequence = RANDOM.nextInt(0x10000);
    private long timestamp = RANDOM.nextInt() & 0xFFFF_FFFFL;

    private volatile QueueDatagramTransport dtlsTransport;
    private volatile SrtpSession srtp;
    private volatile DtlsConnection connection;
    private volatile boolean closed;

    /** Binds {@code address} (any port) and starts answering. */
    WarmUpPeer(InetSocketAddress address, DtlsEndpoint dtls) throws IOException {
        this.dtls = dtls;
        this.channel = DatagramChannel.open().bind(address);
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        this.ufrag = HexFormat.of().formatHex(random, 0, 4);
        this.pwd = HexFormat.of().formatHex(random, 4, 24);
        this.pwdKey = pwd.getBytes(StandardCharsets.UTF_8);
        this.reader = Thread.ofVirtual().name("warm-up-peer").start(this::read);
    }

    /** The WhatsApp-shaped offer: this socket as the one candidate, the worker's own fingerprint. */
    String offer() throws IOException {
        return WhatsAppOffer.build(
                (InetSocketAddress) channel.getLocalAddress(),
                ufrag,
                pwd,
                dtls.identity().fingerprint().toSdpValue(),
                ssrc,
                OPUS_PT,
                126);
    }

    /** RTP packets the worker sent that came back to it. */
    int echoed() {
        return echoed.get();
    }

    private void read() {
        ByteBuffer in = ByteBuffer.allocate(2048);
        while (!closed) {
            InetSocketAddress from;
            try {
                in.clear();
                from = (InetSocketAddress) channel.receive(in);
            } catch (IOException e) {
                return; // closed
            }
            in.flip();
            byte[] data = new byte[in.remaining()];
            in.get(data);
            int b0 = data.length == 0 ? -1 : data[0] & 0xFF;
            if (b0 >= 0 && b0 <= 3) {
                onStun(data, from);
            } else if (b0 >= 20 && b0 <= 63 && from.equals(nominated)) {
                onDtls(data, from);
            } else if (b0 >= 128 && b0 <= 191 && from.equals(nominated)) {
                onSrtp(data, from);
            }
        }
    }

    private void onStun(byte[] data, InetSocketAddress from) {
        StunMessage m = StunMessage.decode(data, 0, data.length);
        byte[] reply = m == null ? null : IceLite.answer(m, ufrag, pwdKey, from);
        if (reply != null) {
            send(reply, 0, reply.length, from);
            if (m.useCandidate() && nominated == null) {
                nominated = from;
            }
        }
    }

    private void onDtls(byte[] data, InetSocketAddress from) {
        QueueDatagramTransport transport = dtlsTransport;
        if (transport == null) {
            transport = new QueueDatagramTransport((b, o, l) -> send(b, o, l, from), 16);
            dtlsTransport = transport;
            QueueDatagramTransport serving = transport;
            Thread.ofVirtual().name("warm-up-peer-dtls").start(() -> serve(serving));
        }
        transport.offer(data);
    }

    private void serve(QueueDatagramTransport transport) {
        try {
            // The worker's own identity on both sides: its fingerprint is the one to expect.
            DtlsConnection c = dtls.accept(transport, dtls.identity().fingerprint());
            connection = c;
            srtp = new SrtpSession(c.keys(), c.role());
            c.serviceUntilClosed();
        } catch (DtlsHandshakeException e) {
            // the self-call reports what it reached; the worker logs it
        }
    }

    /** The echo: the worker's RTP payload, back under our SSRC with our sequence and clock. */
    private void onSrtp(byte[] data, InetSocketAddress from) {
        SrtpSession s = srtp;
        int pt = data.length > 1 ? data[1] & 0x7F : 0;
        if (s == null || (pt >= 64 && pt <= 95) || !s.unprotectRtp(buffer.set(data, 0, data.length))) {
            return;
        }
        if (RtpParser.parse(buffer.getBuffer(), buffer.getOffset(), buffer.getLength())
                instanceof RtpParseResult.Parsed(RtpPacket received)) {
            byte[] wire = new RtpPacket(false, OPUS_PT, sequence, timestamp, ssrc, received.payload()).toBytes();
            sequence = (sequence + 1) & 0xFFFF;
            timestamp = (timestamp + 960) & 0xFFFF_FFFFL;
            if (s.protectRtp(buffer.set(wire, 0, wire.length))) {
                send(buffer.getBuffer(), buffer.getOffset(), buffer.getLength(), from);
                echoed.incrementAndGet();
            }
        }
    }

    private void send(byte[] buf, int off, int len, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(buf, off, len), to);
        } catch (IOException e) {
            // closed: the self-call is over
        }
    }

    @Override
    public void close() {
        closed = true;
        DtlsConnection c = connection;
        QueueDatagramTransport transport = dtlsTransport;
        if (c != null) {
            c.close();
        } else if (transport != null) {
            transport.abort();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SrtpSession s = srtp;
        if (s != null) {
            s.close();
        }
    }
}
