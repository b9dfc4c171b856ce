package dev.voicebridge.worker.transport;

import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one UDP port all calls of a worker share. One platform thread reads, copies each datagram
 * and routes it (RFC 7983 first-byte classification):
 *
 * <ul>
 *   <li>STUN requests by the local ufrag in USERNAME ({@code <our ufrag>:<their ufrag>}, RFC 8445
 *       §7.2.2) — how a full-ICE peer reaches the right call;
 *   <li>STUN responses by transaction id, registered when the call's ice4j agent sent the request
 *       — how our checks' answers come back, also from an ICE-lite peer that never sends a request
 *       (why ice4j's SinglePortUdpHarvester, which only learns sessions from inbound requests,
 *       does not fit this leg);
 *   <li>DTLS/RTP/RTCP by the remote address ICE validated for the call.
 * </ul>
 *
 * <p>The loop never blocks on a call: handlers only enqueue. Everything unroutable is counted.
 */
public final class SharedUdpPort implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SharedUdpPort.class.getName());
    private static final int MAX_DATAGRAM = 2048;

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final Map<String, DatagramHandler> byUfrag = new ConcurrentHashMap<>();
    private final Map<TransactionId, DatagramHandler> byTransaction = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, DatagramHandler> byAddress = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder unroutable = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private volatile boolean closed;

    private SharedUdpPort(DatagramChannel channel) throws IOException {
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.receiver = Thread.ofPlatform()
                .name("udp-recv-" + localAddress.getPort())
                .daemon()
                .unstarted(this::receiveLoop);
    }

    /** Binds the port (0 picks a free one) and starts its receive loop. */
    public static SharedUdpPort open(InetSocketAddress bind, int receiveBufferBytes) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, receiveBufferBytes);
            channel.bind(bind);
            var port = new SharedUdpPort(channel);
            port.receiver.start();
            return port;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return localAddress;
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

    /** Number of routes held, to prove ended calls leave nothing behind. */
    public int routeCount() {
        return byUfrag.size() + byTransaction.size() + byAddress.size();
    }

    /** Sends one datagram. UDP sends do not wait for the peer; errors are counted, not thrown. */
    public void send(byte[] buf, int off, int len, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(buf, off, len), to);
            sent.increment();
        } catch (IOException | RuntimeException e) {
            sendErrors.increment();
        }
    }

    public PortStats stats() {
        return new PortStats(received.sum(), sent.sum(), sendErrors.sum(), unroutable.sum(), malformed.sum());
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (!closed) {
            SocketAddress from;
            try {
                buffer.clear();
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ICMP port unreachable and similar: the socket stays usable.
                continue;
            }
            if (!(from instanceof InetSocketAddress remote)) {
                continue;
            }
            received.increment();
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            try {
                route(data, remote);
            } catch (RuntimeException e) {
                // A handler bug must never stop the loop that serves every call.
                LOG.log(Level.WARNING, "Dispatch failed", e);
            }
        }
    }

    private void route(byte[] data, InetSocketAddress from) {
        PacketKind kind = PacketKind.classify(data, 0, data.length);
        DatagramHandler handler;
        switch (kind) {
            case STUN -> {
                handler = routeStun(data);
                if (handler != null) {
                    handler.onStun(data, from);
                    return;
                }
            }
            case DTLS, RTP, RTCP -> {
                handler = byAddress.get(from);
                if (handler != null) {
                    handler.onMedia(kind, data, from);
                    return;
                }
            }
            case UNKNOWN -> {
                malformed.increment();
                return;
            }
        }
        unroutable.increment();
    }

    private DatagramHandler routeStun(byte[] data) {
        if (!StunMessage.looksLikeStun(data, 0, data.length)) {
            return null;
        }
        int type = (data[0] & 0xFF) << 8 | (data[1] & 0xFF);
        if (type == StunMessage.BINDING_REQUEST || type == StunMessage.BINDING_INDICATION) {
            StunMessage message = StunMessage.decode(data, 0, data.length);
            if (message == null || message.username() == null) {
                return null;
            }
            String username = message.username();
            int colon = username.indexOf(':');
            return colon > 0 ? byUfrag.get(username.substring(0, colon)) : null;
        }
        byte[] tid = new byte[12];
        System.arraycopy(data, 8, tid, 0, 12);
        return byTransaction.get(new TransactionId(tid));
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
