package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender thread's wake-ups, counted: a burst bracketed by hold and flush (the pacer's tick)
 * wakes it once; anyone else's datagram wakes it at once, hold or not.
 */
class UdpSenderTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final byte[] PACKET = new byte[72];

    private DatagramChannel channel;
    private DatagramChannel sink;
    private InetSocketAddress to;
    private UdpSender sender;

    @BeforeEach
    void start() throws Exception {
        channel = DatagramChannel.open().bind(LOOPBACK);
        sink = DatagramChannel.open().bind(LOOPBACK);
        to = (InetSocketAddress) sink.getLocalAddress();
        sender = new UdpSender(channel, "udp-send-test", 256, e -> {});
        sender.start();
        await().atMost(Duration.ofSeconds(5)).until(sender::idle);
    }

    @AfterEach
    void stop() throws Exception {
        sender.close(1000);
        channel.close();
        sink.close();
    }

    @Test
    void aHeldBurstWakesTheSenderOnceAtFlush() {
        for (int tick = 1; tick <= 3; tick++) {
            long sentBefore = sender.sent();
            sender.holdSignals();
            for (int call = 0; call < 100; call++) {
                assertThat(sender.offer(PACKET, 0, PACKET.length, to)).isTrue();
            }
            assertThat(sender.wakeups()).as("held: no wake-up yet").isEqualTo(tick - 1);
            assertThat(sender.sent()).isEqualTo(sentBefore);

            sender.flush();

            assertThat(sender.wakeups()).as("one wake-up per tick").isEqualTo(tick);
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.sent() == sentBefore + 100 && sender.idle());
        }
    }

    @Test
    void withoutHoldEveryOfferMayWakeAnIdleSender() {
        sender.offer(PACKET, 0, PACKET.length, to);
        assertThat(sender.wakeups()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.sent() == 1 && sender.idle());
        sender.offer(PACKET, 0, PACKET.length, to);
        assertThat(sender.wakeups()).isEqualTo(2);
    }

    @Test
    void anotherThreadsDatagramIsNotHeldByTheBurst() throws Exception {
        sender.holdSignals();
        for (int call = 0; call < 10; call++) {
            sender.offer(PACKET, 0, PACKET.length, to);
        }
        // ICE or DTLS on another thread mid-tick: sent now, not at the tick's end
        var other = Thread.ofPlatform().start(() -> sender.offer(PACKET, 0, PACKET.length, to));
        other.join();

        await().atMost(Duration.ofSeconds(5)).until(() -> sender.sent() == 11);
        assertThat(sender.wakeups()).isEqualTo(1);
        sender.flush(); // nothing left: no second wake-up
        assertThat(sender.wakeups()).isEqualTo(1);
    }

    /**
     * Two pacer shards whose ticks overlap (one ran late): each holds its own burst, and one's flush
     * does not release the other's hold (a single holder did: the first shard's later packets then
     * woke the sender one by one).
     */
    @Test
    void twoThreadsHoldTheirOwnBurstsAtOnce() throws Exception {
        try (var a = Executors.newSingleThreadExecutor();
                var b = Executors.newSingleThreadExecutor()) {
            a.submit(() -> {
                        sender.holdSignals();
                        offer(10);
                    })
                    .get();
            b.submit(() -> {
                        sender.holdSignals();
                        offer(10);
                    })
                    .get();
            assertThat(sender.wakeups()).isZero();
            b.submit(sender::flush).get();
            assertThat(sender.wakeups()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.sent() == 20 && sender.idle());

            a.submit(() -> offer(5)).get();
            assertThat(sender.wakeups()).as("a still holds its burst").isEqualTo(1);
            a.submit(sender::flush).get();
            assertThat(sender.wakeups()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.sent() == 25 && sender.idle());
        }
    }

    private void offer(int datagrams) {
        for (int i = 0; i < datagrams; i++) {
            assertThat(sender.offer(PACKET, 0, PACKET.length, to)).isTrue();
        }
    }

    @Test
    void flushWithNothingQueuedDoesNotWake() {
        sender.holdSignals();
        sender.flush();
        assertThat(sender.wakeups()).isZero();
    }
}
