package dev.voicebridge.testkit.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between a peer (e.g. a test phone) and the rest of the world that drops, delays,
 * reorders and duplicates datagrams. The {@link #front()} address stands for the peer (put it in
 * the peer's offer); datagrams arriving there go to the peer from the {@link #back()} socket, and
 * what the peer sends to the back socket leaves through the front socket towards whoever last sent
 * to the front. Seeded, so runs are repeatable in what they drop.
 */
public final class UdpImpairmentRelay implements AutoCloseable {
    private static final int CAPTURE_LIMIT = 256;
    private final DatagramChannel front;
    private final DatagramChannel back;
    private volatile InetSocketAddress peer;
    private final ImpairmentConfig config;
    private final Random random;
    private final ScheduledExecutorService delayer;
    private final Thread frontLoop;
    private final Thread backLoop;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final java.util.concurrent.ConcurrentLinkedDeque<byte[]> capturedFromPeer =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile SocketAddress lastOutside;
    private volatile boolean closed;

    private UdpImpairmentRelay(
            DatagramChannel front, DatagramChannel back, InetSocketAddress peer, ImpairmentConfig config) {
        this.front = front;
        this.back = back;
        this.peer = peer;
        this.config = config;
        this.random = new Random(config.seed());
        this.delayer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("relay-delay").daemon().factory());
        this.frontLoop = Thread.ofPlatform().name("relay-front").daemon().unstarted(this::frontLoop);
        this.backLoop = Thread.ofPlatform().name("relay-back").daemon().unstarted(this::backLoop);
    }

    /** Opens both sockets on {@code bindAddress} (any free ports) relaying to {@code peer}. */
    public static UdpImpairmentRelay start(String bindAddress, InetSocketAddress peer, ImpairmentConfig config)
            throws IOException {
        DatagramChannel front = DatagramChannel.open().bind(new InetSocketAddress(bindAddress, 0));
        DatagramChannel back = DatagramChannel.open().bind(new InetSocketAddress(bindAddress, 0));
        var relay = new UdpImpairmentRelay(front, back, peer, config);
        relay.frontLoop.start();
        relay.backLoop.start();
        return relay;
    }

    /**
     * Sets (or moves) the peer: a phone must advertise the relay's front address in its offer,
     * so the relay usually exists before the phone's socket does.
     */
    public void peer(InetSocketAddress value) {
        this.peer = value;
    }

    public InetSocketAddress front() {
        try {
            return (InetSocketAddress) front.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public InetSocketAddress back() {
        try {
            return (InetSocketAddress) back.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The most recent datagrams the peer sent (at most 256), for replay attacks in tests. */
    public java.util.List<byte[]> capturedFromPeer() {
        return java.util.List.copyOf(capturedFromPeer);
    }

    /**
     * Sends {@code data} from the front address to whoever last talked to it, unimpaired: to the
     * outside it looks like it came from the peer (spoofing for robustness tests).
     */
    public void injectAsPeer(byte[] data) {
        SocketAddress to = lastOutside;
        if (to != null) {
            deliver(data, front, to);
        }
    }

    public long forwarded() {
        return forwarded.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long duplicated() {
        return duplicated.get();
    }

    private void frontLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (!closed) {
            try {
                buffer.clear();
                SocketAddress from = front.receive(buffer);
                lastOutside = from;
                buffer.flip();
                InetSocketAddress to = peer;
                if (to != null) {
                    impair(copy(buffer), back, to);
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void backLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (!closed) {
            try {
                buffer.clear();
                back.receive(buffer);
                buffer.flip();
                byte[] data = copy(buffer);
                capturedFromPeer.addLast(data);
                if (capturedFromPeer.size() > CAPTURE_LIMIT) {
                    capturedFromPeer.pollFirst();
                }
                SocketAddress to = lastOutside;
                if (to != null) {
                    impair(data, front, to);
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void impair(byte[] data, DatagramChannel via, SocketAddress to) {
        double loss;
        double duplicate;
        int delay;
        synchronized (random) {
            loss = random.nextDouble() * 100;
            duplicate = random.nextDouble() * 100;
            delay = config.jitterMillis() == 0 ? 0 : random.nextInt(config.jitterMillis() + 1);
        }
        if (loss < config.lossPercent()) {
            dropped.incrementAndGet();
            return;
        }
        int copies = duplicate < config.duplicatePercent() ? 2 : 1;
        if (copies == 2) {
            duplicated.incrementAndGet();
        }
        for (int i = 0; i < copies; i++) {
            if (delay == 0) {
                deliver(data, via, to);
            } else {
                delayer.schedule(() -> deliver(data, via, to), delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void deliver(byte[] data, DatagramChannel via, SocketAddress to) {
        try {
            via.send(ByteBuffer.wrap(data), to);
            forwarded.incrementAndGet();
        } catch (IOException e) {
            // the test will see the missing datagram
        }
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        return data;
    }

    @Override
    public void close() {
        closed = true;
        delayer.shutdownNow();
        try {
            front.close();
            back.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
