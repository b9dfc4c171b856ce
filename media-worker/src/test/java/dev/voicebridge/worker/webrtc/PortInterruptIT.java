package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 defect 1: ice4j cancels its STUN retransmitters with {@code Future.cancel(true)}, and an
 * interrupt of a thread blocked in a {@code DatagramChannel} closes the channel — the worker's one
 * port, for every call. Here many threads send through the shared port while others interrupt
 * them, as ice4j's executor does, while calls run: the port, the calls and their audio survive,
 * and a call placed afterwards still connects.
 */
@Timeout(90)
class PortInterruptIT {
    private static final int SENDERS = 8;
    private static final int INTERRUPTERS = 3;
    private static final int SENDS_PER_SENDER = 20_000;
    /** Interrupts the storm must have made before the senders may stop. */
    private static final long MIN_INTERRUPTS = 2_000;

    @Test
    void interruptedSendersNeverCloseThePortAndCallsKeepTheirAudio() throws Exception {
        TestNetwork.requireNamespace();
        try (var fixture = new WorkerFixture(WorkerFixture.testConfig());
                SyntheticPhone phone = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults().withSource(PcmSource.of(Signals.tone(700, 0.3, 30_000))));
                DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress(TestNetwork.PHONE, 0))) {
            var listener = new RecordingListener();
            CallTransport session =
                    fixture.engine.createTransport("wa-interrupt", phone.offer(), new EchoMedia(), listener);
            phone.acceptAnswer(session.answer());
            session.start();
            session.markAccepted();
            listener.connected.get(10, TimeUnit.SECONDS);

            SharedUdpPort port = fixture.engine.port();
            var to = (InetSocketAddress) sink.getLocalAddress();
            var done = new AtomicBoolean();
            var interrupts = new AtomicLong();
            var senders = new ArrayList<Thread>();
            // The senders go on until the interrupters, started first, have made their interrupts:
            // on a busy machine 160,000 queued sends once ended before an interrupter ran at all.
            long sendingBound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < SENDERS; i++) {
                senders.add(Thread.ofPlatform().name("test-sender-" + i).unstarted(() -> {
                    byte[] datagram = new byte[100];
                    for (int n = 0;
                            n < SENDS_PER_SENDER
                                    || (interrupts.get() < MIN_INTERRUPTS && System.nanoTime() < sendingBound);
                            n++) {
                        port.send(datagram, 0, datagram.length, to);
                        Thread.interrupted(); // like a pool thread reused after cancel(true)
                    }
                }));
            }
            List<Thread> interrupters = new ArrayList<>();
            var running = new java.util.concurrent.CountDownLatch(INTERRUPTERS);
            for (int i = 0; i < INTERRUPTERS; i++) {
                int seed = i;
                interrupters.add(
                        Thread.ofPlatform().name("test-interrupter-" + i).start(() -> {
                            running.countDown();
                            int k = seed;
                            while (!done.get()) {
                                Thread sender = senders.get(k++ % SENDERS);
                                if (sender.isAlive()) { // only interrupts that can land mid-send count
                                    sender.interrupt();
                                    interrupts.incrementAndGet();
                                }
                                Thread.onSpinWait();
                            }
                        }));
            }
            assertThat(running.await(10, TimeUnit.SECONDS))
                    .as("interrupters running")
                    .isTrue();
            senders.forEach(Thread::start);
            for (Thread t : senders) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            done.set(true);
            for (Thread t : interrupters) {
                t.join(5_000);
            }
            System.out.printf(
                    "interrupts: %d during %d sends; port %s%n",
                    interrupts.get(), SENDERS * SENDS_PER_SENDER, port.stats());
            assertThat(interrupts.get()).isGreaterThanOrEqualTo(MIN_INTERRUPTS);

            // The port still sends...
            sink.configureBlocking(false);
            ByteBuffer drain = ByteBuffer.allocate(2048);
            while (sink.receive(drain.clear()) != null) {
                // what the storm left
            }
            byte[] marker = "after-the-storm".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            port.send(marker, 0, marker.length, to);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                drain.clear();
                return sink.receive(drain) != null && drain.position() == marker.length;
            });

            // ...and receives: the running call still hears its own audio back.
            assertThat(session.isConnected()).isTrue();
            phone.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.recording().length >= 24_000);
            var heard = AudioAnalysis.dominant(phone.recording(), 0, 24_000, 24_000, 700, 1100);
            assertThat(heard.hz()).isEqualTo(700);

            // A call placed after the storm connects on the same port.
            try (SyntheticPhone next =
                    fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults())) {
                var nextListener = new RecordingListener();
                CallTransport nextSession =
                        fixture.engine.createTransport("wa-after", next.offer(), new EchoMedia(), nextListener);
                next.acceptAnswer(nextSession.answer());
                nextSession.start();
                nextListener.connected.get(10, TimeUnit.SECONDS);
                nextSession.hangup(EndReason.CallerHangup);
            }
            session.hangup(EndReason.CallerHangup);
            listener.ended.get(5, TimeUnit.SECONDS);
        }
    }
}
