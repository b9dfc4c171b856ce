package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.dtls.DtlsIdentity;
import dev.voicebridge.media.dtls.SrtpProfile;
import dev.voicebridge.media.srtp.SrtpSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The shared machinery of many synthetic phones in one JVM, so a phone costs a socket, two small
 * buffers and its codec state, not threads: one selector thread receives for every phone, one
 * pacing thread ticks every phone every 20 ms, and DTLS handshakes run on virtual threads. Phones
 * share one DTLS identity unless asked otherwise.
 *
 * <p>A phone normally has a UDP socket of its own ({@link #newPhone(InetSocketAddress,
 * PhoneOptions)}), as every WhatsApp client does. Phones that stand for the sessions of one media
 * server can instead share one ({@link #openSharedPort}, {@link #newPhone(SharedPhonePort,
 * PhoneOptions)}), which tells them apart by the remote address as such a server must ({@link
 * SharedPhonePort}).
 */
public final class PhoneHost implements AutoCloseable {
    private final Selector selector;
    private final Thread receiver;
    private final ScheduledExecutorService pacer;
    private final Queue<SyntheticPhone> pendingRegistrations = new ConcurrentLinkedQueue<>();
    private final Set<SyntheticPhone> phones = ConcurrentHashMap.newKeySet();
    private final Queue<SharedPhonePort> pendingPorts = new ConcurrentLinkedQueue<>();
    private final Set<SharedPhonePort> ports = ConcurrentHashMap.newKeySet();
    private final DtlsEndpoint dtls;
    private volatile boolean closed;

    private PhoneHost(List<SrtpProfile> profiles) throws IOException {
        this.selector = Selector.open();
        this.dtls = new DtlsEndpoint(
                DtlsIdentity.generate("whatsapp-like-phone", Duration.ofDays(1)), profiles, Duration.ofSeconds(10));
        this.receiver = Thread.ofPlatform().name("phones-recv").daemon().unstarted(this::receiveLoop);
        this.pacer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("phones-pacer").daemon().factory());
    }

    /** A host whose phones, like WhatsApp, select AES128_CM_HMAC_SHA1_80. */
    public static PhoneHost start() throws IOException {
        return start(List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80));
    }

    public static PhoneHost start(List<SrtpProfile> serverProfiles) throws IOException {
        SrtpSession.warmUp(); // jitsi-srtp's AES benchmark, off the pacing thread
        var host = new PhoneHost(serverProfiles);
        host.receiver.start();
        host.pacer.scheduleAtFixedRate(host::tickAll, 20, 20, TimeUnit.MILLISECONDS);
        return host;
    }

    /** A phone with its own UDP socket bound to {@code bind} (port 0 = any). */
    public SyntheticPhone newPhone(InetSocketAddress bind, PhoneOptions options) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.configureBlocking(false);
        channel.bind(bind);
        var phone = new SyntheticPhone(this, channel, options);
        phones.add(phone);
        pendingRegistrations.add(phone);
        selector.wakeup();
        return phone;
    }

    /**
     * A UDP socket bound to {@code bind} (port 0 = any) for many phones ({@link
     * #newPhone(SharedPhonePort, PhoneOptions)}), read by this host's selector thread like a
     * phone's own. Closing the host closes it.
     */
    public SharedPhonePort openSharedPort(InetSocketAddress bind) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        SharedPhonePort port;
        try {
            channel.configureBlocking(false);
            channel.bind(bind);
            port = new SharedPhonePort(this, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        ports.add(port);
        pendingPorts.add(port);
        selector.wakeup();
        return port;
    }

    /**
     * A phone on {@code port}, a shared port of this host: it sends from the port and advertises
     * its address (unless {@code options} name another), and gets the datagrams the port routes to
     * it by its ICE ufrag and its peer's address ({@link SharedPhonePort}). Closing it leaves the
     * port open.
     */
    public SyntheticPhone newPhone(SharedPhonePort port, PhoneOptions options) throws IOException {
        if (port.host() != this) {
            throw new IllegalArgumentException("the port belongs to another host");
        }
        var phone = new SyntheticPhone(this, port, options);
        phones.add(phone);
        port.add(phone);
        return phone;
    }

    DtlsEndpoint dtls() {
        return dtls;
    }

    void remove(SyntheticPhone phone) {
        phones.remove(phone);
    }

    void remove(SharedPhonePort port) {
        ports.remove(port);
    }

    private void tickAll() {
        for (SyntheticPhone phone : phones) {
            try {
                phone.tick();
            } catch (RuntimeException e) {
                phone.recordError(e);
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048); // heap: the phones read its array in place
        while (!closed) {
            try {
                selector.select(200);
                SyntheticPhone pending;
                while ((pending = pendingRegistrations.poll()) != null) {
                    try {
                        pending.channel().register(selector, SelectionKey.OP_READ, pending);
                    } catch (ClosedChannelException e) {
                        // closed before registration
                    }
                }
                SharedPhonePort port;
                while ((port = pendingPorts.poll()) != null) {
                    try {
                        port.channel().register(selector, SelectionKey.OP_READ, port);
                    } catch (ClosedChannelException e) {
                        // closed before registration
                    }
                }
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.attachment() instanceof SyntheticPhone phone) {
                        drain(
                                phone.channel(),
                                (b, n, from) -> {
                                    try {
                                        phone.onDatagram(b, n, from);
                                    } catch (RuntimeException e) {
                                        phone.recordError(e);
                                    }
                                },
                                key,
                                buffer);
                    } else if (key.attachment() instanceof SharedPhonePort shared) {
                        drain(shared.channel(), shared::onDatagram, key, buffer);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** What one socket's datagrams go to: a phone, or a shared port that routes them to one. */
    @FunctionalInterface
    private interface Receiver {
        void onDatagram(byte[] buf, int length, InetSocketAddress from);
    }

    /** Up to 64 datagrams from {@code channel}, so one busy socket cannot starve the others. */
    private static void drain(DatagramChannel channel, Receiver receiver, SelectionKey key, ByteBuffer buffer) {
        for (int i = 0; i < 64 && key.isValid(); i++) {
            SocketAddress from;
            try {
                buffer.clear();
                from = channel.receive(buffer);
            } catch (IOException e) {
                return;
            }
            if (from == null) {
                return;
            }
            receiver.onDatagram(buffer.array(), buffer.position(), (InetSocketAddress) from);
        }
    }

    @Override
    public void close() {
        closed = true;
        pacer.shutdownNow();
        phones.forEach(SyntheticPhone::close);
        ports.forEach(SharedPhonePort::close);
        try {
            selector.close();
            receiver.join(2000);
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
