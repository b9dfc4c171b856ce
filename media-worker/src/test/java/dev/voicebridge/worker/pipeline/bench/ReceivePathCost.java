package dev.voicebridge.worker.pipeline.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.voicebridge.media.dtls.DtlsRole;
import dev.voicebridge.media.dtls.SrtpKeyingMaterial;
import dev.voicebridge.media.dtls.SrtpProfile;
import dev.voicebridge.media.rtp.RtpParseResult;
import dev.voicebridge.media.rtp.RtpParser;
import dev.voicebridge.media.srtp.PacketBuffer;
import dev.voicebridge.media.srtp.SrtpSession;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.worker.transport.DatagramHandler;
import dev.voicebridge.worker.transport.PacketKind;
import dev.voicebridge.worker.transport.ReceiveBudget;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * What receiving costs per datagram, counted rather than timed: the worker process's CPU time
 * (every thread, so also the virtual threads' carriers and the JVM's own), less the load
 * generator's thread, while {@value #CALLS} calls each receive one 72-byte SRTP packet every 20 ms
 * over a real {@link SharedUdpPort} on loopback, spread over the tick as real calls are. Each
 * datagram is unprotected with a real {@link SrtpSession} and parsed, two ways:
 *
 * <ul>
 *   <li>owner — how the worker received before: {@code udp-recv} hands every datagram to the
 *       call's own virtual thread (one park/unpark and carrier wake-up per datagram), which
 *       unprotects it;
 *   <li>receive thread — now: {@code udp-recv} unprotects it itself within the call's {@link
 *       ReceiveBudget} (as {@code CallTransport} does for the pipeline), no other thread wakes.
 * </ul>
 *
 * Not a test and not part of any build: {@code java -cp <test classpath> ...ReceivePathCost}.
 */
public final class ReceivePathCost {
    private static final int CALLS = 100;
    private static final int SECONDS = 8;
    private static final int GROUPS_PER_TICK = 10;
    private static final long TICK_NANOS = 20_000_000L;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ReceivePathCost() {}

    private enum Mode {
        OWNER,
        RECEIVE_THREAD
    }

    /** One call's receive side, routed by its sender's address. */
    private static final class Call implements DatagramHandler {
        private final SrtpSession receiver;
        private final boolean inline;
        private final ReceiveBudget budget = new ReceiveBudget(8, TICK_NANOS);
        private final PacketBuffer receiveThreadBuffer = new PacketBuffer(1500);
        private final PacketBuffer ownerBuffer = new PacketBuffer(1500);
        private final ExecutorService owner =
                Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
        private final LongAdder received;

        Call(SrtpSession receiver, boolean inline, LongAdder received) {
            this.receiver = receiver;
            this.inline = inline;
            this.received = received;
        }

        @Override
        public void onStun(StunMessage message, byte[] data, InetSocketAddress from) {}

        @Override
        public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
            if (inline && budget.tryTake(System.nanoTime())) {
                receive(data, receiveThreadBuffer);
            } else {
                owner.execute(() -> receive(data, ownerBuffer));
            }
        }

        private void receive(byte[] data, PacketBuffer buffer) {
            if (receiver.unprotectRtp(buffer.set(data, 0, data.length))
                    && RtpParser.parse(buffer.getBuffer(), buffer.getOffset(), buffer.getLength())
                            instanceof RtpParseResult.Parsed) {
                received.increment();
            }
        }

        void close() {
            owner.close();
            receiver.close();
        }
    }

    public static void main(String[] args) throws Exception {
        var loopback = new InetSocketAddress("127.0.0.1", 0);
        var random = new Random(1);
        var profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        for (int round = 0; round < 4; round++) { // the first two warm up
            Mode mode = Mode.values()[round % 2];
            var received = new LongAdder();
            var calls = new ArrayList<Call>();
            var senders = new ArrayList<DatagramChannel>();
            var packets = new ArrayList<List<byte[]>>();
            try (SharedUdpPort port = SharedUdpPort.open(loopback, 1 << 22, 1024)) {
                for (int c = 0; c < CALLS; c++) {
                    byte[][] parts = new byte[4][];
                    for (int i = 0; i < 4; i++) {
                        parts[i] = new byte[i % 2 == 0 ? profile.keyLength() : profile.saltLength()];
                        random.nextBytes(parts[i]);
                    }
                    var keys = new SrtpKeyingMaterial(profile, parts[0], parts[1], parts[2], parts[3]);
                    var call = new Call(new SrtpSession(keys, DtlsRole.SERVER), mode == Mode.RECEIVE_THREAD, received);
                    DatagramChannel sender = DatagramChannel.open().bind(loopback);
                    port.registerAddress((InetSocketAddress) sender.getLocalAddress(), call);
                    calls.add(call);
                    senders.add(sender);
                    try (var protector = new SrtpSession(keys, DtlsRole.CLIENT)) {
                        packets.add(protectedPackets(protector, random, SECONDS * 50));
                    }
                }
                long generator = Thread.currentThread().threadId();
                long cpuBefore = OS.getProcessCpuTime();
                long generatorBefore = THREADS.getThreadCpuTime(generator);
                long receiverThread = threadId("udp-recv-" + port.localAddress().getPort());
                long receiverBefore = THREADS.getThreadCpuTime(receiverThread);
                send(port.localAddress(), senders, packets);
                long expected = (long) CALLS * SECONDS * 50;
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (received.sum() < expected && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(1_000_000);
                }
                long cpu = OS.getProcessCpuTime() - cpuBefore - (THREADS.getThreadCpuTime(generator) - generatorBefore);
                long receiveThread = THREADS.getThreadCpuTime(receiverThread) - receiverBefore;
                long got = received.sum();
                if (round >= 2) {
                    System.out.printf(
                            "%-14s %7.2f µs CPU per datagram (udp-recv %5.2f µs, other threads %5.2f µs) = %.4f %% of a"
                                    + " core per call at 50/s; %d of %d received%n",
                            mode,
                            cpu / 1000.0 / got,
                            receiveThread / 1000.0 / got,
                            (cpu - receiveThread) / 1000.0 / got,
                            cpu / 1e9 / SECONDS / CALLS * 100,
                            got,
                            expected);
                }
            } finally {
                calls.forEach(Call::close);
                for (DatagramChannel sender : senders) {
                    sender.close();
                }
            }
        }
    }

    /** Every call's packets, one per call per 20 ms tick, the calls spread over the tick in groups. */
    private static void send(InetSocketAddress to, List<DatagramChannel> senders, List<List<byte[]>> packets)
            throws Exception {
        long next = System.nanoTime();
        int perGroup = (CALLS + GROUPS_PER_TICK - 1) / GROUPS_PER_TICK;
        for (int tick = 0; tick < SECONDS * 50; tick++) {
            for (int group = 0; group < GROUPS_PER_TICK; group++) {
                for (int c = group * perGroup; c < Math.min(CALLS, (group + 1) * perGroup); c++) {
                    senders.get(c).send(ByteBuffer.wrap(packets.get(c).get(tick)), to);
                }
                next += TICK_NANOS / GROUPS_PER_TICK;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    private static List<byte[]> protectedPackets(SrtpSession protector, Random random, int count) {
        var out = new ArrayList<byte[]>(count);
        var buffer = new PacketBuffer(1500);
        byte[] packet = new byte[72];
        random.nextBytes(packet);
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        for (int seq = 1; seq <= count; seq++) {
            packet[2] = (byte) (seq >>> 8);
            packet[3] = (byte) seq;
            int ts = seq * 960;
            packet[4] = (byte) (ts >>> 24);
            packet[5] = (byte) (ts >>> 16);
            packet[6] = (byte) (ts >>> 8);
            packet[7] = (byte) ts;
            if (!protector.protectRtp(buffer.set(packet, 0, packet.length))) {
                throw new IllegalStateException("protect failed");
            }
            byte[] datagram = new byte[buffer.getLength()];
            System.arraycopy(buffer.getBuffer(), buffer.getOffset(), datagram, 0, datagram.length);
            out.add(datagram);
        }
        return out;
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .threadId();
    }
}
