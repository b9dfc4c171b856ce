package dev.voicebridge.worker.ice;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.MediaPort;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.StunMessageEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.message.Message;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;

/**
 * One call's view of the shared UDP port, as the {@link DatagramSocket} ice4j's STUN stack reads
 * and writes.
 *
 * <p>Receive: the port's receive loop routes this call's STUN here ({@link #offer}, never blocks;
 * overflow is dropped and counted). Once {@link #attach attached} to the call's STUN stack, it is
 * handed to ice4j directly, in order, on a virtual thread, and ice4j's own reader thread for the
 * socket ends ({@link Ice4jReaders}); before that, or if that cannot be done, ice4j's reader
 * thread takes it from {@link #receive}. Send: straight out of the
 * shared socket; a request's transaction id is registered with the port first, so the answer —
 * which carries no USERNAME, and an ICE-lite peer sends nothing else — finds its way back to
 * this call. The newest {@value #TRACKED_TRANSACTIONS} ids stay registered; older ones are
 * forgotten (a retransmitted request reuses its id). Every datagram first asks the call's
 * {@link CheckBudget} (destination policy, rate, totals).
 *
 * <p>Payload never comes here: once ICE selected a pair, DTLS/SRTP go by remote address to the
 * call's owner thread.
 */
final class CallStunSocket extends DatagramSocket {
    static final int TRACKED_TRANSACTIONS = 32;
    private static final int QUEUE_CAPACITY = 64;
    private static final Inbound CLOSED = new Inbound(new byte[0], null, null);
    /** Tells ice4j's reader thread to leave its loop (it finds its running flag cleared). */
    private static final Inbound RETIRE = new Inbound(new byte[0], null, null);

    private static final Logger LOG = Logger.getLogger(CallStunSocket.class.getName());

    private final InetSocketAddress local;
    private final MediaPort port;
    private final DatagramHandler route;
    private final CheckBudget budget;
    private final BlockingQueue<Inbound> inbound = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** STUN for the stack itself, once ice4j's reader is retired. */
    private final BlockingQueue<Inbound> inbox = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Requests in flight by transaction id: when first sent, or -1 once resent (no RTT sample). */
    private final LinkedHashMap<TransactionId, Long> tracked = new LinkedHashMap<>();

    private volatile boolean closed;
    /** The call's STUN stack, once ice4j's reader thread for this socket is retired; else null. */
    private volatile StunStack stack;

    private TransportAddress localTransport;
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Smallest round trip of a check answered on its first transmission, ns; -1 before any. */
    private volatile long minRoundTripNanos = -1;

    final LongAdder requestsSent = new LongAdder();
    final LongAdder responsesSent = new LongAdder();
    final LongAdder errorResponsesSent = new LongAdder();
    final LongAdder requestsReceived = new LongAdder();
    final LongAdder responsesReceived = new LongAdder();
    final LongAdder queueDrops = new LongAdder();

    /** A datagram, its source and ice4j's decoding of it (null before the reader is retired). */
    private record Inbound(byte[] data, InetSocketAddress from, Message message) {}

    /**
     * @param local the candidate's address: an advertised address with the shared port's number
     * @param route the call's handler, which the port gives responses to our requests
     * @param budget the call's allowance of outgoing STUN, shared by its sockets
     */
    CallStunSocket(InetSocketAddress local, MediaPort port, DatagramHandler route, CheckBudget budget)
            throws SocketException {
        // Unbound: nothing is ever sent or received through the socket ice4j thinks it has.
        super((SocketAddress) null);
        this.local = local;
        this.port = port;
        this.route = route;
        this.budget = budget;
    }

    /**
     * Gives this socket to the call's STUN stack (on the thread that builds the agent) and retires
     * ice4j's reader thread for it: from now on {@link #offer} hands STUN to the stack itself.
     */
    void attach(StunStack stunStack, IceSocketWrapper wrapper) {
        stunStack.addSocket(wrapper);
        localTransport = new TransportAddress(local.getAddress(), local.getPort(), Transport.UDP);
        if (Ice4jReaders.retire(stunStack, localTransport)) {
            stack = stunStack;
            inbound.offer(RETIRE);
        }
    }

    /** Whether ice4j's reader thread for this socket was retired (STUN goes to the stack directly). */
    boolean readerRetired() {
        return stack != null;
    }

    /**
     * A STUN datagram for this call (receive loop), already decoded by ice4j's decoder
     * ({@code message}). Never blocks: at most {@value #QUEUE_CAPACITY} wait, more are dropped
     * and counted.
     */
    void offer(byte[] data, Message message, InetSocketAddress from) {
        if (closed) {
            return;
        }
        boolean request = type(data) == StunMessage.BINDING_REQUEST;
        if (!request) {
            roundTrip(data); // before ice4j sees the answer: it may select the pair and start DTLS
        }
        StunStack s = stack;
        var item = new Inbound(data, from, message);
        if (!(s == null ? inbound.offer(item) : inbox.offer(item))) {
            queueDrops.increment();
            return;
        }
        if (request) {
            requestsReceived.increment();
        } else {
            responsesReceived.increment();
        }
        if (s != null && draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ice-stun").start(this::drain);
        }
    }

    /** Hands queued STUN to ice4j's stack in arrival order; one drainer at a time. */
    private void drain() {
        do {
            Inbound in;
            while ((in = inbox.poll()) != null) {
                StunStack s = stack;
                if (closed || s == null) {
                    continue;
                }
                try {
                    var raw = RawMessage.build(
                            in.data, in.data.length, new TransportAddress(in.from, Transport.UDP), localTransport);
                    s.handleMessageEvent(new StunMessageEvent(s, raw, in.message));
                } catch (RuntimeException e) {
                    // What ice4j's own reader would do: the datagram is lost, the call goes on.
                    LOG.log(Level.FINE, LogLine.of("ice.stun-unhandled"), e);
                }
            }
            draining.set(false);
        } while (!inbox.isEmpty() && draining.compareAndSet(false, true));
    }

    /**
     * An RTT sample from a response to a request sent once (Karn's rule: a resent request's
     * answer could belong to either copy). The port routed it here by its transaction id.
     */
    private void roundTrip(byte[] response) {
        if (response.length < StunMessage.HEADER_LENGTH) {
            return;
        }
        byte[] id = new byte[12];
        System.arraycopy(response, 8, id, 0, 12);
        Long sent;
        synchronized (tracked) {
            sent = tracked.get(new TransactionId(id));
        }
        if (sent != null && sent >= 0) {
            long rtt = System.nanoTime() - sent;
            long min = minRoundTripNanos;
            if (min < 0 || rtt < min) {
                minRoundTripNanos = rtt;
            }
        }
    }

    /** The smallest round trip a check of this socket measured, ns, or -1 before any answer. */
    long minRoundTripNanos() {
        return minRoundTripNanos;
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (closed) {
            throw new SocketException("call ended");
        }
        byte[] data = p.getData();
        int off = p.getOffset();
        int len = p.getLength();
        var to = (InetSocketAddress) p.getSocketAddress();
        boolean request = StunMessage.looksLikeStun(data, off, len) && type(data, off) == StunMessage.BINDING_REQUEST;
        // A refused datagram is dropped as if the network lost it: ice4j retransmits or gives up.
        if (!budget.admit(to, request)) {
            return;
        }
        if (StunMessage.looksLikeStun(data, off, len)) {
            switch (type(data, off)) {
                case StunMessage.BINDING_REQUEST -> {
                    track(data, off);
                    requestsSent.increment();
                }
                case StunMessage.BINDING_SUCCESS -> responsesSent.increment();
                case StunMessage.BINDING_ERROR -> errorResponsesSent.increment();
                default -> {}
            }
        }
        // Queued for the port's sender thread: ice4j's (interruptible) pool threads never touch
        // the shared socket.
        port.send(data, off, len, to);
    }

    private void track(byte[] data, int off) {
        byte[] id = new byte[12];
        System.arraycopy(data, off + 8, id, 0, 12);
        var tid = new TransactionId(id);
        synchronized (tracked) {
            if (tracked.containsKey(tid)) {
                tracked.put(tid, -1L); // a retransmission: its answer gives no RTT sample
                return;
            }
            tracked.put(tid, System.nanoTime());
            port.registerTransaction(tid, route);
            if (tracked.size() > TRACKED_TRANSACTIONS) {
                Iterator<Map.Entry<TransactionId, Long>> oldest =
                        tracked.entrySet().iterator();
                port.forgetTransaction(oldest.next().getKey());
                oldest.remove();
            }
        }
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        Inbound in;
        try {
            in = inbound.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
        if (in == RETIRE) {
            // ice4j's reader, its running flag cleared: an empty read makes it leave its loop.
            p.setLength(0);
            return;
        }
        if (in == CLOSED || closed) {
            inbound.offer(CLOSED); // wake any other reader too
            throw new SocketException("call ended");
        }
        int n = Math.min(in.data.length, p.getData().length - p.getOffset());
        System.arraycopy(in.data, 0, p.getData(), p.getOffset(), n);
        p.setLength(n);
        p.setSocketAddress(in.from);
    }

    private static int type(byte[] data) {
        return data.length < 2 ? -1 : type(data, 0);
    }

    private static int type(byte[] data, int off) {
        return (data[off] & 0xFF) << 8 | (data[off + 1] & 0xFF);
    }

    @Override
    public InetAddress getLocalAddress() {
        return local.getAddress();
    }

    @Override
    public int getLocalPort() {
        return local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inbound.clear();
        inbox.clear();
        inbound.offer(CLOSED);
        synchronized (tracked) {
            tracked.keySet().forEach(port::forgetTransaction);
            tracked.clear();
        }
        super.close();
    }
}
