package dev.voicebridge.testkit.abuse;

import dev.voicebridge.testkit.net.Datagrams;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@link HostileDatagrams} to a media port, paced in bursts (so that the kernel's socket
 * buffers, which the flood shares with the calls' real packets, are not what a test measures),
 * half of them through the attacked call's own peer socket (a synthetic phone's {@code sendRaw},
 * so it passes address routing) and the rest from a stranger's socket, the socket chosen in no
 * relation to the datagram's kind.
 */
public final class DatagramFlood implements AutoCloseable {
    /**
     * Sends one datagram from a given socket; false when the kernel did not take it (a full send
     * buffer). A socket that failed (closed) throws: counting its datagrams as refused would
     * silently take a whole kind out of the flood.
     */
    @FunctionalInterface
    public interface Sender {
        boolean send(byte[] datagram, InetSocketAddress to);
    }

    private final HostileDatagrams hostile;
    private final List<Sender> senders;
    private final InetSocketAddress target;
    private final int count;
    private final int burst;
    private final AtomicInteger sent = new AtomicInteger();
    private final Map<HostileDatagrams.Kind, Long> byKind = new EnumMap<>(HostileDatagrams.Kind.class);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("datagram-flood").daemon(true).factory());
    private volatile boolean closed;
    private long startNanos;
    private long endNanos;
    private int index;
    /** Which socket sends the next datagram: decoupled from the kind's turn, so no kind is tied to one socket. */
    private final SplittableRandom senderChoice = new SplittableRandom(1);

    private DatagramFlood(
            HostileDatagrams hostile, List<Sender> senders, InetSocketAddress target, int count, int burst) {
        this.hostile = hostile;
        this.senders = senders;
        this.target = target;
        this.count = count;
        this.burst = burst;
    }

    /**
     * Starts sending {@code count} datagrams to {@code target}, {@code burst} every {@code tick}
     * ({@code burst / tick} a second), half from {@code spoofed} and half from {@code stranger}.
     */
    public static DatagramFlood start(
            HostileDatagrams hostile,
            Sender spoofed,
            DatagramChannel stranger,
            InetSocketAddress target,
            int count,
            int burst,
            Duration tick) {
        Sender fromStranger = (d, to) -> Datagrams.offer(stranger, d, to);
        var flood = new DatagramFlood(hostile, List.of(spoofed, fromStranger), target, count, burst);
        flood.startNanos = System.nanoTime();
        flood.pacer.scheduleAtFixedRate(flood::tick, 0, tick.toNanos(), TimeUnit.NANOSECONDS);
        return flood;
    }

    /** Runs on the pacer thread only. */
    private void tick() {
        try {
            for (int n = 0; n < burst && sent.get() < count && !closed; n++) {
                HostileDatagrams.Kind kind = hostile.kindAt(index++);
                byte[] datagram = hostile.next(kind);
                Sender sender = senders.get(senderChoice.nextInt(senders.size()));
                if (sender.send(datagram, target)) {
                    sent.incrementAndGet();
                    synchronized (byKind) {
                        byKind.merge(kind, 1L, Long::sum);
                    }
                }
            }
            if (sent.get() >= count && !done.isDone()) {
                endNanos = System.nanoTime();
                done.complete(null);
                pacer.shutdown();
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            pacer.shutdown();
        }
    }

    /** Datagrams the kernel took so far. */
    public int sent() {
        return sent.get();
    }

    public boolean isDone() {
        return done.isDone();
    }

    /** What was sent, once all of it was. */
    public record Result(int sent, Map<HostileDatagrams.Kind, Long> byKind, Duration took) {}

    public Result await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the flood failed", e.getCause());
        }
        synchronized (byKind) {
            return new Result(sent.get(), new EnumMap<>(byKind), Duration.ofNanos(endNanos - startNanos));
        }
    }

    /**
     * Stops sending and waits for the pacer's current burst to end. Never interrupts it: an
     * interrupt closes a {@code DatagramChannel} its thread is sending on, and the sockets are
     * shared (the stranger's with the next flood, the peer's with its call).
     */
    @Override
    public void close() {
        closed = true;
        pacer.shutdown();
        try {
            if (!pacer.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the flood's pacer did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
