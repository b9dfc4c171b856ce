package dev.voicebridge.worker.transport;

import java.net.InetSocketAddress;

/**
 * Receives the datagrams of one call from the shared port's receive loop. Runs on that loop:
 * implementations only hand off (enqueue to the call's owner) and never block.
 */
public interface DatagramHandler {
    /** A STUN message routed to this call by USERNAME or transaction id; {@code data} is owned by the callee. */
    void onStun(byte[] data, InetSocketAddress from);

    /** A DTLS, RTP or RTCP datagram from the call's selected remote address. */
    void onMedia(PacketKind kind, byte[] data, InetSocketAddress from);
}
