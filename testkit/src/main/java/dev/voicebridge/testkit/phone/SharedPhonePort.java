package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One UDP port for many synthetic phones ({@link PhoneHost#openSharedPort}, {@link
 * PhoneHost#newPhone(SharedPhonePort, PhoneOptions)}), the way a media server serves every session
 * from a single host candidate: OpenAI's answers name one port (3478) for all calls. Such a server
 * is ICE-lite (RFC 8445 §2.5) and cannot ask a datagram which session it belongs to: DTLS, SRTP
 * and SRTCP carry no session id. So it tells its sessions apart the only way left, by the remote
 * 5-tuple, and learns which address is whose from the connectivity checks, which do name the
 * session. This port does the same, on the host's one selector thread, classifying each datagram
 * by its first byte (RFC 7983):
 *
 * <ul>
 *   <li>a STUN Binding request (0..3) goes to the phone whose ICE ufrag is the part of its
 *       USERNAME before the colon (RFC 8445 §7.2.2: {@code <receiver ufrag>:<sender ufrag>}).
 *       When that phone answers it (the request is authentic: its MESSAGE-INTEGRITY verifies with
 *       the phone's password, RFC 5389 §10.1.2), the request's source address becomes that phone's.
 *       The latest answered request wins: a check for another session from an address a phone
 *       holds takes the address over, and {@link #rebound()} counts it. A request that fails
 *       authentication moves nothing (the phone counts it as bad STUN), or anyone who saw a ufrag
 *       could steal a call's media;
 *   <li>everything else (DTLS 20..63, SRTP and SRTCP 128..191, other STUN) goes to the phone that
 *       holds its source address; from an address no phone holds it is dropped and counted
 *       ({@link #unroutable()}).
 * </ul>
 *
 * <p>This is how a 5-tuple collision shows: a client that sends two sessions' checks from one
 * local address (say a media worker whose model legs all leave from one UDP port) gives the
 * address to whichever session checked last. That session's phone gets the other session's DTLS
 * and media, and drops them (they come from an address other than its nominated pair); the other
 * session's phone hears nothing more from its caller. Checks sent again for consent freshness
 * (RFC 7675) would hand the address back and forth. What the phones send is not affected: each
 * sends to its own peer from the shared port.
 *
 * <p>A phone on the port answers calls (ICE-lite, as OpenAI's peer does); it is not meant to send
 * checks of its own ({@link SyntheticPhone#fullIceOffer}), whose answers come from an address
 * that nothing routes to it. Closing a phone takes its ufrag and addresses off the port and leaves
 * the socket open for the others; closing the port (or its host) closes its phones and the socket.
 */
public final class SharedPhonePort implements AutoCloseable {
    private final PhoneHost host;
    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final Map<String, SyntheticPhone> byUfrag = new ConcurrentHashMap<>();
    /** Written on the selector thread (checks), entries removed by any thread (a phone closing). */
    private final Map<InetSocketAddress, SyntheticPhone> byAddress = new ConcurrentHashMap<>();

    private final AtomicLong unroutable = new AtomicLong();
    private final AtomicLong rebound = new AtomicLong();
    private volatile boolean closed;

    SharedPhonePort(PhoneHost host, DatagramChannel channel) throws IOException {
        this.host = host;
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /** The address every phone on the port sends from and advertises. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Datagrams dropped because no phone claimed them: a Binding request whose USERNAME names no
     * phone of the port, anything else from an address no phone holds.
     */
    public long unroutable() {
        return unroutable.get();
    }

    /**
     * Times an address went from one phone to another because an authentic check for the second
     * came from it: each one a 5-tuple collision (see the class comment).
     */
    public long rebound() {
        return rebound.get();
    }

    PhoneHost host() {
        return host;
    }

    DatagramChannel channel() {
        return channel;
    }

    /** Routes checks for {@code phone}'s ufrag to it from now on; throws if the port is closed. */
    void add(SyntheticPhone phone) throws ClosedChannelException {
        byUfrag.put(phone.ufrag(), phone);
        if (closed) {
            phone.close();
            throw new ClosedChannelException();
        }
    }

    /** Takes {@code phone}'s ufrag and addresses off the port (the phone closes). */
    void remove(SyntheticPhone phone) {
        byUfrag.remove(phone.ufrag(), phone);
        byAddress.values().removeIf(p -> p == phone);
    }

    /**
     * Selector thread: a datagram, the first {@code length} bytes of {@code buf}, which is reused
     * for the next one.
     */
    void onDatagram(byte[] buf, int length, InetSocketAddress from) {
        if (length == 0) {
            return;
        }
        if ((buf[0] & 0xFF) <= 3) {
            StunMessage m = StunMessage.decode(buf, 0, length);
            if (m != null && m.type() == StunMessage.BINDING_REQUEST) {
                onCheck(m, from);
                return;
            }
        }
        SyntheticPhone phone = byAddress.get(from);
        if (phone == null) {
            unroutable.incrementAndGet();
            return;
        }
        try {
            phone.onDatagram(buf, length, from);
        } catch (RuntimeException e) {
            phone.recordError(e);
        }
    }

    private void onCheck(StunMessage request, InetSocketAddress from) {
        String username = request.username();
        int colon = username == null ? -1 : username.indexOf(':');
        SyntheticPhone phone = colon < 0 ? null : byUfrag.get(username.substring(0, colon));
        if (phone == null) {
            unroutable.incrementAndGet();
            return;
        }
        boolean answered;
        try {
            answered = phone.onRoutedCheck(request, from);
        } catch (RuntimeException e) {
            phone.recordError(e);
            return;
        }
        if (!answered) {
            return;
        }
        SyntheticPhone previous = byAddress.put(from, phone);
        if (previous != null && previous != phone) {
            rebound.incrementAndGet();
        }
        if (phone.isClosed()) {
            byAddress.remove(from, phone); // it closed meanwhile, after taking its routes off
        }
    }

    /** Closes every phone on the port (each says DTLS close_notify while it can), then the socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List.copyOf(byUfrag.values()).forEach(SyntheticPhone::close);
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        host.remove(this);
    }
}
