package dev.voicebridge.worker.pipeline.bench;

import com.sun.management.ThreadMXBean;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * What sending costs per packet, counted rather than timed: CPU time and bytes allocated by the
 * sending thread (the pacer, for every packet of every call) and by the port's sender thread, as
 * the JVM accounts them per thread. Ticks of {@value #PER_TICK} 72-byte packets (a pacer tick of as
 * many calls), one every millisecond, to a loopback socket nobody reads:
 *
 * <ul>
 *   <li>direct — how the worker sent before: the caller in {@code DatagramChannel.send};
 *   <li>queued — {@link SharedUdpPort#send}: the caller copies into the ring, {@code udp-send-*}
 *       makes the system calls, woken by the first packet of every batch it finds;
 *   <li>held per tick — the same, bracketed by {@link SharedUdpPort#holdSends()} and
 *       {@link SharedUdpPort#flushSends()} as the pacer does: one wake-up of the sender per tick.
 * </ul>
 *
 * Not a test and not part of any build: {@code java -cp <test classpath> ...SendPathCost}.
 */
public final class SendPathCost {
    private static final int PER_TICK = 64;
    private static final int TICKS = 2000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private SendPathCost() {}

    private record Cost(long cpuNanos, long allocatedBytes) {
        static Cost of(long threadId) {
            return new Cost(THREADS.getThreadCpuTime(threadId), THREADS.getThreadAllocatedBytes(threadId));
        }

        Cost minus(Cost o) {
            return new Cost(cpuNanos - o.cpuNanos, allocatedBytes - o.allocatedBytes);
        }

        String perPacket(long packets) {
            return String.format(
                    "%6.0f ns CPU, %5.1f B allocated", (double) cpuNanos / packets, (double) allocatedBytes / packets);
        }
    }

    public static void main(String[] args) throws Exception {
        var loopback = new InetSocketAddress("127.0.0.1", 0);
        byte[] packet = new byte[72];
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        try (DatagramChannel sink = DatagramChannel.open().bind(loopback);
                DatagramChannel direct = DatagramChannel.open().bind(loopback);
                SharedUdpPort port = SharedUdpPort.open(loopback, 1 << 20, 1024)) {
            var to = (InetSocketAddress) sink.getLocalAddress();
            long me = Thread.currentThread().threadId();
            long sender = Thread.getAllStackTraces().keySet().stream()
                    .filter(t ->
                            t.getName().equals("udp-send-" + port.localAddress().getPort()))
                    .findFirst()
                    .orElseThrow()
                    .threadId();
            for (int round = 0; round < 2; round++) { // the first round warms up
                Cost before = Cost.of(me);
                ticks(() -> direct.send(ByteBuffer.wrap(packet), to));
                Cost directCaller = Cost.of(me).minus(before);

                Cost[] queued = queued(port, me, sender, false, () -> port.send(packet, 0, packet.length, to));
                Cost[] held = queued(port, me, sender, true, () -> port.send(packet, 0, packet.length, to));
                long packets = (long) PER_TICK * TICKS;
                if (round == 1) {
                    System.out.printf(
                            "direct: caller %s%nqueued: caller %s; sender thread %s%n"
                                    + "held per tick: caller %s; sender thread %s; dropped (both rounds) %d%n",
                            directCaller.perPacket(packets),
                            queued[0].perPacket(packets),
                            queued[1].perPacket(packets),
                            held[0].perPacket(packets),
                            held[1].perPacket(packets),
                            port.stats().sendDrops());
                }
            }
        }
    }

    /** The caller's and the sender thread's cost of {@value #TICKS} ticks through the port. */
    private static Cost[] queued(SharedUdpPort port, long me, long sender, boolean hold, Send send) throws IOException {
        long sentBefore = port.stats().sent() + port.stats().sendDrops();
        Cost before = Cost.of(me);
        Cost senderBefore = Cost.of(sender);
        ticks(hold ? () -> port.holdSends() : () -> {}, send, hold ? port::flushSends : () -> {});
        Cost caller = Cost.of(me).minus(before);
        while (port.stats().sent() + port.stats().sendDrops() - sentBefore < (long) PER_TICK * TICKS) {
            LockSupport.parkNanos(1_000_000);
        }
        return new Cost[] {caller, Cost.of(sender).minus(senderBefore)};
    }

    private interface Send {
        void run() throws IOException;
    }

    /** {@value #TICKS} ticks of {@value #PER_TICK} sends, one tick every millisecond (the caller parks between). */
    private static void ticks(Send send) throws IOException {
        ticks(() -> {}, send, () -> {});
    }

    private static void ticks(Runnable beforeTick, Send send, Runnable afterTick) throws IOException {
        long next = System.nanoTime();
        for (int t = 0; t < TICKS; t++) {
            beforeTick.run();
            for (int i = 0; i < PER_TICK; i++) {
                send.run();
            }
            afterTick.run();
            next += 1_000_000;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }
}
