package dev.voicebridge.worker.transport;

import dev.voicebridge.media.stun.TransactionId;
import java.net.InetSocketAddress;

/**
 * A UDP port as one call's transport sees it: routes that bring the call's datagrams to its
 * {@link DatagramHandler} (its {@link Demultiplexer}), and a send that never blocks (queued for the
 * worker's one sender thread, so an interrupted caller cannot close the socket). The worker's
 * {@link SharedUdpPort}, which every caller's leg shares, and a relayed call's {@link LegPort},
 * which only its model leg uses, are the two.
 */
public abstract sealed class MediaPort permits SharedUdpPort, LegPort {
    private final Demultiplexer routes;

    MediaPort(Demultiplexer routes) {
        this.routes = routes;
    }

    final Demultiplexer routes() {
        return routes;
    }

    /** The address the socket is bound to (its port goes into the call's candidates). */
    public abstract InetSocketAddress localAddress();

    /**
     * Queues one datagram and returns at once; the bytes are copied. Safe from any thread,
     * including one being interrupted. A full queue or a failed port drops it (counted).
     */
    public abstract void send(byte[] buf, int off, int len, InetSocketAddress to);

    /** STUN requests whose USERNAME starts with {@code localUfrag} go to {@code handler}. */
    public final void registerUfrag(String localUfrag, DatagramHandler handler) {
        routes.registerUfrag(localUfrag, handler);
    }

    /** The answer to the STUN request {@code id} (sent by {@code handler}'s call) goes to it. */
    public final void registerTransaction(TransactionId id, DatagramHandler handler) {
        routes.registerTransaction(id, handler);
    }

    public final void forgetTransaction(TransactionId id) {
        routes.forgetTransaction(id);
    }

    /** DTLS, RTP and RTCP from {@code remote} go to {@code handler}. */
    public final void registerAddress(InetSocketAddress remote, DatagramHandler handler) {
        routes.registerAddress(remote, handler);
    }

    /** Removes every route to {@code handler} (call ended). */
    public final void unregister(DatagramHandler handler) {
        routes.unregister(handler);
    }
}
