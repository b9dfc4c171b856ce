package dev.voicebridge.worker.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.function.Consumer;

/**
 * A UDP socket of its own for one relayed call's model leg, opened by {@link
 * SharedUdpPort#openLeg()}. Its own local port gives the leg its own 5-tuple: OpenAI answers every
 * call from one media address (its answer names a single host candidate), and a media server tells
 * calls apart by the remote address once ICE has run, so two legs leaving from the worker's shared
 * port would share a 5-tuple and each one's DTLS and SRTP would reach the other's session.
 *
 * <p>It costs a socket, not a thread: the port's one leg receive thread reads every leg socket
 * (a selector) and hands each datagram to this leg's own routes — the same checks as the shared
 * port's (a STUN request by ufrag, an answer by transaction id, media only from the address ICE
 * validated), so a stranger's datagram to the leg's port reaches nothing. What it sends leaves at
 * once from the sending thread (the socket is non-blocking, so neither a full buffer nor an
 * interrupt can stall or close it, {@link UdpSender#sendNow}). Closed with its call.
 */
public final class LegPort extends MediaPort implements AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final UdpSender sender;
    private final Consumer<LegPort> onClose;
    private volatile boolean closed;

    LegPort(DatagramChannel channel, Demultiplexer routes, UdpSender sender, Consumer<LegPort> onClose)
            throws IOException {
        super(routes);
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.sender = sender;
        this.onClose = onClose;
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (!closed) {
            sender.sendNow(channel, buf, off, len, to);
        }
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Closes the socket (its selector key goes with it); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        onClose.accept(this);
    }
}
