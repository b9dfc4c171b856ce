package dev.voicebridge.worker.transport;

import dev.voicebridge.api.log.LogLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one UDP port all calls of a worker share, and the threads that touch its socket: {@code
 * udp-recv-<port>} reads, copies each datagram and hands it to the {@link Demultiplexer} (which
 * only enqueues to calls, or forwards a relayed call's packet on the spot), and {@code
 * udp-send-<port>} ({@link UdpSender}) writes what the calls' threads queued. The socket is
 * non-blocking: no thread ever blocks in it, so no interrupt can close it (the JDK closes a channel
 * on an interrupt only during a blocking operation), and the port's own receive threads — this
 * port's and the legs' — send what they forward at once instead of queueing it for the sender
 * thread: a relayed packet costs no hand-over between threads.
 *
 * <p>If the socket fails anyway — closed under us, or one of the two threads dies for any reason
 * — no call on this worker can have media again: the port marks itself failed, logs one SEVERE
 * line and tells its failure listeners (the worker goes not ready, its calls end). It never fails
 * silently and never half-works.
 *
 * <p>A relayed call's model leg does not share it: {@link #openLeg()} gives the leg a socket of its
 * own (its own 5-tuple towards OpenAI's one media address), read by one more thread for all legs
 * ({@code udp-recv-legs-<port>}, started with the first).
 */
public final class SharedUdpPort extends MediaPort implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SharedUdpPort.class.getName());
    /** A socket that throws this many I/O errors in a row without receiving anything is broken. */
    private static final int MAX_CONSECUTIVE_RECEIVE_ERRORS = 10_000;

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final Demultiplexer.Counters counters;
    private final Set<LegPort> legs = ConcurrentHashMap.newKeySet();
    private LegReceiver legReceiver; // guarded by this; started with the first leg
    private final UdpSender sender;
    private final Thread receiver;
    private final Selector selector;
    /** The legs' receive thread once it exists (it forwards the model's packets to callers). */
    private volatile Thread legThread;

    private final AtomicReference<String> failure = new AtomicReference<>();
    private final List<Consumer<String>> failureListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private SharedUdpPort(DatagramChannel channel, int sendQueueCapacity, Demultiplexer.Counters counters)
            throws IOException {
        super(new Demultiplexer(counters));
        this.counters = counters;
        this.channel = channel;
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        int port = localAddress.getPort();
        this.sender = new UdpSender(
                channel, "udp-send-" + port, sendQueueCapacity, e -> fail("its sender thread stopped", e));
        this.receiver = Thread.ofPlatform().name("udp-recv-" + port).daemon().unstarted(this::receiveLoop);
    }

    /**
     * Binds the port (0 picks a free one) and starts its two threads.
     *
     * @param sendQueueCapacity datagrams that may wait for the sender thread; more are dropped and
     *     counted
     */
    public static SharedUdpPort open(InetSocketAddress bind, int socketBufferBytes, int sendQueueCapacity)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            channel.configureBlocking(false);
            channel.bind(bind);
            var port = new SharedUdpPort(channel, sendQueueCapacity, new Demultiplexer.Counters());
            port.sender.start();
            port.receiver.start();
            return port;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** For tests: the socket, to close it under the port. */
    DatagramChannel channel() {
        return channel;
    }

    /** Number of routes held, to prove ended calls leave nothing behind. */
    public int routeCount() {
        return routes().routeCount();
    }

    /**
     * Sends one datagram and returns at once; the caller keeps its buffer. On the port's own
     * receive threads (a relayed packet forwarded where it arrived) it is written now; from any
     * other thread it is copied and queued for the sender thread, so the pacer's ticks, ice4j's
     * and the handshakes' threads never wait for a system call. Safe from any thread, including one
     * that is being interrupted. UDP promises nothing, so neither does this: a full queue or socket
     * buffer, or a failed port, drops (counted).
     */
    @Override
    public void send(byte[] buf, int off, int len, InetSocketAddress to) {
        Thread t = Thread.currentThread();
        if (t == receiver || t == legThread) {
            sender.sendNow(channel, buf, off, len, to);
        } else {
            sender.offer(buf, off, len, to);
        }
    }

    /**
     * This thread is about to queue a burst (the pacer's tick): its datagrams wait for
     * {@link #flushSends()}, which wakes the sender thread once for all of them.
     */
    public void holdSends() {
        sender.holdSignals();
    }

    /** Ends {@link #holdSends()}: the sender thread sends what is queued. */
    public void flushSends() {
        sender.flush();
    }

    /** Times the sender thread was woken to send (at most once per pacer tick for the pacer's packets). */
    public long senderWakeups() {
        return sender.wakeups();
    }

    /**
     * A socket of its own for a relayed call's model leg, bound to this port's address on a free
     * port, read by the legs' receive thread and written by this port's sender thread; closing it
     * (with the call) frees both.
     *
     * @throws IOException no socket could be bound, or this port has failed or closed
     */
    public LegPort openLeg() throws IOException {
        LegReceiver receiver = legReceiver();
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(localAddress.getAddress(), 0));
            var leg = new LegPort(channel, new Demultiplexer(counters), sender, legs::remove);
            legs.add(leg);
            receiver.add(leg);
            return leg;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private synchronized LegReceiver legReceiver() throws IOException {
        if (closed || failure.get() != null) {
            throw new IOException("media port " + localAddress + " is " + (closed ? "closed" : "failed"));
        }
        if (legReceiver == null) {
            legReceiver = new LegReceiver(
                    "udp-recv-legs-" + localAddress.getPort(), e -> fail("its leg receive thread stopped", e));
            legThread = legReceiver.thread();
        }
        return legReceiver;
    }

    /** Leg sockets open now (each relayed call holds one while its model leg lives). */
    public int legCount() {
        return legs.size();
    }

    /** Why the port stopped working for good, or null while it works. */
    public String failure() {
        return failure.get();
    }

    /**
     * Called once, with the reason, if the port fails (on the thread that found it out); at once
     * if it already has.
     */
    public void onFailure(Consumer<String> listener) {
        failureListeners.add(listener);
        String already = failure.get();
        if (already != null) {
            listener.accept(already);
        }
    }

    public PortStats stats() {
        return new PortStats(
                routes().received(),
                sender.sent(),
                sender.errors(),
                sender.drops(),
                routes().unroutable(),
                routes().malformed(),
                routes().handlerErrors(),
                failure.get());
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Demultiplexer.MAX_DATAGRAM + 1);
        int consecutiveErrors = 0;
        Throwable cause = null;
        try {
            while (!closed) {
                // One datagram per wake-up: a busy socket stays ready, so the next select returns
                // at once, and an idle one costs no extra empty read.
                SocketAddress from;
                try {
                    // At most a second: a channel closed under the selector need not wake it.
                    selector.select(1000);
                    selector.selectedKeys().clear();
                    // A stray interrupt wakes select and would keep waking it: the non-blocking
                    // socket is untouched by it (the JDK closes a channel only for an interrupt
                    // during a blocking operation), so it is cleared and ignored.
                    Thread.interrupted();
                    if (!channel.isOpen()) {
                        throw new ClosedChannelException();
                    }
                    buffer.clear();
                    from = channel.receive(buffer);
                    consecutiveErrors = 0;
                } catch (ClosedChannelException | ClosedSelectorException e) {
                    cause = e;
                    return;
                } catch (IOException e) {
                    // ICMP port unreachable and similar: the socket stays usable.
                    if (++consecutiveErrors >= MAX_CONSECUTIVE_RECEIVE_ERRORS) {
                        cause = e;
                        return;
                    }
                    continue;
                }
                if (from instanceof InetSocketAddress remote) {
                    buffer.flip();
                    // One copy per datagram: the call's owner keeps it (a buffer of MAX + 1 bytes
                    // makes a larger datagram visible as oversized instead of silently truncated).
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    routes().dispatch(data, remote);
                }
            }
        } catch (RuntimeException | Error e) {
            cause = e;
            throw e;
        } finally {
            if (!closed) {
                fail("its receive thread stopped", cause);
            }
        }
    }

    private void fail(String what, Throwable cause) {
        if (closed) {
            return;
        }
        String reason = "media port " + localAddress + " failed: " + what
                + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        if (!failure.compareAndSet(null, reason)) {
            return;
        }
        LOG.log(
                Level.SEVERE,
                LogLine.of(
                        "media-port.failed",
                        "address",
                        localAddress,
                        "what",
                        what,
                        "cause",
                        cause == null ? null : cause.getClass().getSimpleName(),
                        "effect",
                        "no call on this worker can have media; it reports not ready"),
                cause);
        sender.stop();
        closeSocket(); // whichever half still works must not pretend the port does
        closeLegs();
        for (Consumer<String> listener : failureListeners) {
            try {
                listener.accept(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, LogLine.of("media-port.listener-failed"), e);
            }
        }
    }

    /** Closes the socket and the receive thread's selector, which wakes it if it waits. */
    private void closeSocket() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void closeLegs() {
        LegReceiver receiver;
        synchronized (this) {
            receiver = legReceiver;
        }
        if (receiver != null) {
            receiver.close();
        }
        legs.forEach(LegPort::close);
    }

    @Override
    public void close() {
        closed = true;
        closeLegs();
        sender.close(1000);
        closeSocket();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
