package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared port on loopback: what reaches it from anyone is data, never an exception. */
class SharedUdpPortTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger transportLog = Logger.getLogger("dev.voicebridge.worker.transport");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private SharedUdpPort port;

    @BeforeEach
    void open() throws Exception {
        transportLog.addHandler(capture);
        port = SharedUdpPort.open(LOOPBACK, 1 << 20, 256);
    }

    @AfterEach
    void close() {
        port.close();
        transportLog.removeHandler(capture);
    }

    /** Issue 11 finding 2: this datagram threw in the STUN decoder on the receive loop. */
    @Test
    void twentyFourByteBindingRequestIsCountedNotThrown() throws Exception {
        byte[] hostile = HexFormat.of().parseHex("000100042112a442" + "0102030405060708090a0b0c" + "00200000");
        assertThat(hostile).hasSize(24);
        try (DatagramChannel attacker = DatagramChannel.open().bind(LOOPBACK)) {
            for (int i = 0; i < 1000; i++) {
                attacker.send(ByteBuffer.wrap(hostile), port.localAddress());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> port.stats().received() >= 1000);
        }
        assertThat(logged)
                .as("no stack trace per datagram")
                .noneMatch(r -> r.getThrown() != null)
                .filteredOn(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                .hasSizeLessThanOrEqualTo(1);
        assertThat(port.stats().malformed(MalformedKind.STUN)).isEqualTo(1000);
    }

    @Test
    void oversizedDatagramsAreCountedNotTruncated() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(LOOPBACK)) {
            peer.send(ByteBuffer.wrap(new byte[Demultiplexer.MAX_DATAGRAM + 1]), port.localAddress());
            peer.send(ByteBuffer.wrap(new byte[9000]), port.localAddress());
            await().atMost(Duration.ofSeconds(5)).until(() -> port.stats().received() >= 2);
        }
        assertThat(port.stats().malformed(MalformedKind.OVERSIZED)).isEqualTo(2);
    }

    /**
     * Issue 12 defect 1 at the port: threads sending while others interrupt them, as ice4j's
     * {@code Future.cancel(true)} does. An interrupted thread must never close the shared socket.
     */
    @Test
    void interruptedSendersNeverCloseThePort() throws Exception {
        try (DatagramChannel sink = DatagramChannel.open().bind(LOOPBACK)) {
            var to = (InetSocketAddress) sink.getLocalAddress();
            var senders = new java.util.ArrayList<Thread>();
            for (int i = 0; i < 4; i++) {
                senders.add(Thread.ofPlatform().start(() -> {
                    byte[] d = new byte[64];
                    for (int n = 0; n < 5_000; n++) {
                        port.send(d, 0, d.length, to);
                    }
                }));
            }
            var interrupter = Thread.ofPlatform().start(() -> {
                while (senders.stream().anyMatch(Thread::isAlive)) {
                    senders.forEach(Thread::interrupt);
                    Thread.onSpinWait();
                }
            });
            for (Thread t : senders) {
                t.join();
            }
            interrupter.join();
            assertThat(port.failure()).isNull();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> port.stats().sent() + port.stats().sendDrops() == 20_000);
            byte[] marker = {1, 2, 3};
            sink.configureBlocking(false);
            ByteBuffer in = ByteBuffer.allocate(128);
            while (sink.receive(in.clear()) != null) {
                // drain the storm
            }
            port.send(marker, 0, marker.length, to);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.receive(in.clear()) != null && in.position() == 3);
        }
    }

    /**
     * An interrupt of the receive thread (once it closed a blocking socket for every call): the
     * non-blocking socket stays open, the port keeps receiving, and the thread does not spin on a
     * selector that the interrupt keeps waking.
     */
    @Test
    void anInterruptedReceiveThreadKeepsThePortAndDoesNotSpin() throws Exception {
        Thread receiver = receiveThread();
        long received = port.stats().received();
        receiver.interrupt();
        var threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getThreadCpuTime(receiver.threadId());
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        long cpuMillis = (threads.getThreadCpuTime(receiver.threadId()) - cpuBefore) / 1_000_000;
        assertThat(cpuMillis)
                .as("receive thread CPU in 500 ms after the interrupt, ms")
                .isLessThan(100);
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            peer.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), port.localAddress());
            await().atMost(Duration.ofSeconds(5)).until(() -> port.stats().received() > received);
        }
        assertThat(port.failure()).isNull();
        assertThat(logged).filteredOn(r -> r.getLevel() == Level.SEVERE).isEmpty();
    }

    private Thread receiveThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t ->
                        t.getName().equals("udp-recv-" + port.localAddress().getPort()))
                .findFirst()
                .orElseThrow();
    }

    /** The socket closed under the port: fatal, once, loud. */
    @Test
    void aChannelClosedUnderThePortFailsItOnceAndLoudly() throws Exception {
        var reasons = new CopyOnWriteArrayList<String>();
        port.onFailure(reasons::add);
        port.channel().close();
        await().atMost(Duration.ofSeconds(5)).until(() -> port.failure() != null);
        assertThat(reasons).hasSize(1);
        assertThat(reasons.getFirst()).contains("receive thread").contains("ClosedChannelException");
        assertThat(port.stats().failure()).isEqualTo(reasons.getFirst());
        assertThat(logged).filteredOn(r -> r.getLevel() == Level.SEVERE).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("udp-")
                        && t.getName().endsWith("-" + port.localAddress().getPort())));
        var late = new CopyOnWriteArrayList<String>();
        port.onFailure(late::add);
        assertThat(late).as("a listener added later hears it at once").hasSize(1);
    }
}
