package dev.voicebridge.worker.transport;

import dev.voicebridge.media.stun.StunMessage;
import java.net.InetSocketAddress;

/**
 * Receives the datagrams of one call from the shared port's receive loop. Runs on that loop:
 * implementations never block and do at most a bounded few microseconds of work per datagram
 * (remove SRTP and enqueue, within a per-call {@link ReceiveBudget}) before handing off to the
 * call's owner. What arrives here is well-framed (the port dropped and counted the rest), but not
 * yet authenticated.
 */
public interface DatagramHandler {
    /**
     * A STUN message routed to this call by USERNAME or transaction id, decoded once by the port;
     * {@code data} (its bytes) is owned by the callee.
     */
    void onStun(StunMessage message, byte[] data, InetSocketAddress from);

    /** A DTLS, RTP or RTCP datagram from the call's selected remote address. */
    void onMedia(PacketKind kind, byte[] data, InetSocketAddress from);
}
