package dev.voicebridge.worker.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The thread that writes the shared socket for every thread that is not one of the port's own
 * receive threads: the pacer, ice4j's STUN transaction pool, DTLS handshakes copy their datagram
 * into a slot of a bounded ring and return; this thread sends the slots in order.
 *
 * <p>Why: a {@link DatagramChannel} is an {@code InterruptibleChannel}, so an interrupt of any
 * thread blocked in {@code send} closes it — for every call of the worker. ice4j cancels its
 * retransmitters with {@code Future.cancel(true)}, which interrupts exactly such threads. The
 * socket is non-blocking now, which the JDK never closes on an interrupt, but the ring also keeps
 * the system calls off the pacer's tick and off ice4j's and the handshakes' threads. Here a
 * caller only takes a lock ({@link ReentrantLock#lock()} is not interruptible) and copies, so an
 * interrupt leaves its flag set and nothing else. The sender thread is ours alone; if the channel
 * closes under it anyway, that is fatal and reported ({@code onFailure}).
 *
 * <p>Cost per datagram on the caller: one lock, one copy of the datagram into a preallocated slot,
 * a signal when the sender was idle; nothing is allocated. A thread that queues many datagrams in a
 * burst (the pacer: one per call every 20 ms) brackets the burst with {@link #holdSignals()} and
 * {@link #flush()}, so the sender thread wakes once per burst instead of racing the producer and
 * waking for every few datagrams; other threads' datagrams still wake it at once. A full ring drops the datagram and
 * counts it (UDP may lose it anyway; media must never wait for the socket).
 *
 * <p>A relayed call's leg socket, and the shared socket when the port's own receive threads forward
 * a relayed packet, are written at once from the sending thread ({@link #sendNow}), counted here
 * with the rest.
 */
final class UdpSender {
    /** An Ethernet MTU: nothing we send is larger (DTLS flights are packed to 1200 bytes). */
    static final int SLOT_BYTES = 1500;

    private final DatagramChannel channel;
    private final int capacity;
    private final byte[][] slots;
    private final ByteBuffer[] views;
    private final InetSocketAddress[] targets;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Thread thread;
    private final Consumer<Throwable> onFailure;
    private final LongAdder sent = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private final LongAdder wakeups = new LongAdder();

    // Guarded by lock.
    private int head;
    private int count;
    private boolean closed;
    /** The sender thread waits for datagrams. */
    private boolean waiting;
    /** It was signalled since it began to wait: another signal would be a wasted wake-up. */
    private boolean signalled;
    /**
     * The threads whose datagrams wait for their {@link #flush()}: one per pacer shard at most,
     * and their ticks overlap only when one runs late.
     */
    private Thread[] holders = new Thread[2];

    private int holderCount;

    /**
     * @param onFailure called once, on the sender thread, when the channel is closed under it or the
     *     thread dies; never called after {@link #close()}
     */
    UdpSender(DatagramChannel channel, String name, int capacity, Consumer<Throwable> onFailure) {
        this.channel = channel;
        this.capacity = capacity;
        this.onFailure = onFailure;
        this.slots = new byte[capacity][SLOT_BYTES];
        this.views = new ByteBuffer[capacity];
        this.targets = new InetSocketAddress[capacity];
        for (int i = 0; i < capacity; i++) {
            views[i] = ByteBuffer.wrap(slots[i]);
        }
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues one datagram; false (counted) when the ring is full, it is too large or we closed. */
    boolean offer(byte[] buf, int off, int len, InetSocketAddress to) {
        if (len > SLOT_BYTES || len < 0 || to == null) {
            errors.increment();
            return false;
        }
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (count == capacity) {
                drops.increment();
                return false;
            }
            int tail = (head + count) % capacity;
            System.arraycopy(buf, off, slots[tail], 0, len);
            views[tail].clear().limit(len);
            targets[tail] = to;
            count++;
            if (!holds(Thread.currentThread())) {
                wake();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends one datagram from {@code via} (a relayed call's own socket, or the shared one) on the
     * calling thread and counts it with this sender's datagrams. The socket is non-blocking, so this never
     * waits (a full socket buffer drops the datagram, counted) and an interrupt of the calling
     * thread cannot close it (the JDK installs its close-on-interrupt hook for blocking operations
     * only); a socket closed with its leg loses the datagram (counted) and touches nothing else.
     * No queue and no wake-up of the sender thread: the relay forwards each packet from the thread
     * that received it.
     */
    void sendNow(DatagramChannel via, byte[] buf, int off, int len, InetSocketAddress to) {
        if (len > SLOT_BYTES || len < 0 || to == null) {
            errors.increment();
            return;
        }
        try {
            if (via.send(ByteBuffer.wrap(buf, off, len), to) > 0) {
                sent.increment();
            } else {
                drops.increment();
            }
        } catch (IOException | RuntimeException e) {
            // Closed (with its call, or the port failed: its receive thread tells), no route, a
            // late ICMP error: this one is lost.
            errors.increment();
        }
    }

    /** Lock held. */
    private boolean holds(Thread t) {
        for (int i = 0; i < holderCount; i++) {
            if (holders[i] == t) {
                return true;
            }
        }
        return false;
    }

    /** Lock held. */
    private void wake() {
        if (waiting && !signalled) {
            signalled = true;
            wakeups.increment();
            notEmpty.signal();
        }
    }

    /**
     * From now until {@link #flush()} this thread's datagrams are queued without waking the sender
     * thread. Others' are not held.
     */
    void holdSignals() {
        lock.lock();
        try {
            Thread t = Thread.currentThread();
            if (!holds(t)) {
                if (holderCount == holders.length) {
                    holders = Arrays.copyOf(holders, holders.length * 2);
                }
                holders[holderCount++] = t;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends {@link #holdSignals()} and wakes the sender thread once if anything waits to be sent. */
    void flush() {
        lock.lock();
        try {
            Thread t = Thread.currentThread();
            for (int i = 0; i < holderCount; i++) {
                if (holders[i] == t) {
                    holders[i] = holders[--holderCount];
                    holders[holderCount] = null;
                    break;
                }
            }
            if (count > 0) {
                wake();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Throwable failure = null;
        try {
            while (true) {
                int first;
                int n;
                lock.lock();
                try {
                    while (count == 0 && !closed) {
                        waiting = true;
                        signalled = false;
                        awaitQuietly();
                        waiting = false;
                    }
                    if (count == 0) {
                        return; // closed and drained
                    }
                    first = head;
                    n = count;
                } finally {
                    lock.unlock();
                }
                // Slots [first, first + n) stay ours until head moves past them: producers only
                // write free slots. One lock round per batch, so busy producers cannot starve us.
                for (int k = 0; k < n; k++) {
                    send((first + k) % capacity);
                }
                lock.lock();
                try {
                    for (int k = 0; k < n; k++) {
                        targets[(first + k) % capacity] = null;
                    }
                    head = (first + n) % capacity;
                    count -= n;
                } finally {
                    lock.unlock();
                }
            }
        } catch (ClosedChannelException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            boolean ours;
            lock.lock();
            try {
                ours = closed;
                closed = true;
                count = 0;
            } finally {
                lock.unlock();
            }
            if (!ours) {
                onFailure.accept(failure != null ? failure : new IllegalStateException("sender thread ended"));
            }
        }
    }

    /** A stray interrupt while idle is not a reason to stop: only {@link #close()} ends the loop. */
    private void awaitQuietly() {
        try {
            notEmpty.await();
        } catch (InterruptedException e) {
            // cleared by the exception; the channel is untouched while we wait
        }
    }

    private void send(int slot) throws ClosedChannelException {
        try {
            if (channel.send(views[slot], targets[slot]) > 0) {
                sent.increment();
            } else {
                drops.increment(); // the socket's buffer is full (non-blocking)
            }
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // No route, ICMP unreachable reported late, an IPv6 target on an IPv4 socket: this
            // datagram is lost, the socket is fine.
            errors.increment();
        }
    }

    /** Refuses new datagrams; the thread sends what is queued, then ends. Does not wait. */
    void stop() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@link #stop()}, then waits up to {@code joinMillis} for the thread. */
    void close(long joinMillis) {
        stop();
        try {
            thread.join(joinMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    long sent() {
        return sent.sum();
    }

    long errors() {
        return errors.sum();
    }

    long drops() {
        return drops.sum();
    }

    /** The sender thread waits for datagrams (nothing queued). */
    boolean idle() {
        lock.lock();
        try {
            return waiting && count == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Times a producer woke the sender thread (a signal to it while it waited). */
    long wakeups() {
        return wakeups.sum();
    }
}
