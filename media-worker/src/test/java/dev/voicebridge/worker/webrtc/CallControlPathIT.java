package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.ImpairmentConfig;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.net.UdpImpairmentRelay;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.pipeline.MediaHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call's control messages are never lost to media: with its owner thread behind a flood of
 * datagrams from the peer's own address (so they route to the call and fill its media queue), a
 * hang-up still ends the call at once, while the excess media is dropped and counted. And a
 * call's normal media never wakes its owner: the receive thread removes SRTP itself, within a
 * per-call budget, and only what exceeds it queues for the owner.
 */
@Timeout(60)
class CallControlPathIT {
    private static WorkerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        fixture = new WorkerFixture(WorkerFixture.testConfig());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aHangupBehindAFullMediaQueueStillEndsTheCallWithinASecond() throws Exception {
        int capacity = WorkerFixture.testConfig().callQueueCapacity();
        // The phone talks through a relay, so the flood can come from the address ICE selected.
        try (UdpImpairmentRelay relay = UdpImpairmentRelay.start(TestNetwork.PHONE, null, ImpairmentConfig.none());
                SyntheticPhone phone = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults()
                                .withSource(PcmSource.of(Signals.tone(500, 0.3, 10_000)))
                                .withAdvertised(relay.front()))) {
            relay.peer(phone.localAddress());
            var media = new StallingMedia();
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("wa-flooded", phone.offer(), media, listener);
            phone.acceptAnswer(session.answer());
            session.start();
            session.markAccepted();
            listener.connected.get(10, TimeUnit.SECONDS);

            // The owner is busy with the phone's first packet (a slow owner, made deterministic)
            // while the flood arrives: the media queue fills and overflows.
            assertThat(media.stalled.await(10, TimeUnit.SECONDS)).isTrue();
            var random = new Random(7);
            for (int i = 0; i < capacity * 4; i++) {
                relay.injectAsPeer(rtpLike(random, i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> session.mailboxDrops() > 0);

            session.hangup(EndReason.ApiHangup);
            media.release.countDown();
            long releasedAt = System.nanoTime();
            assertThat(listener.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.ApiHangup);
            assertThat(Duration.ofNanos(System.nanoTime() - releasedAt)).isLessThan(Duration.ofSeconds(1));
            assertThat(session.isEnded()).isTrue();
            assertThat(fixture.engine.transport("wa-flooded")).isEmpty();
            // Only media was dropped, and counted: at least what did not fit.
            assertThat(session.mailboxDrops()).isGreaterThanOrEqualTo(capacity);
        }
    }

    @Test
    void rtpIsUnprotectedOnTheReceiveThreadAndOnlyAFloodWakesTheOwner() throws Exception {
        try (UdpImpairmentRelay relay = UdpImpairmentRelay.start(TestNetwork.PHONE, null, ImpairmentConfig.none());
                SyntheticPhone phone = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults()
                                .withSource(PcmSource.of(Signals.tone(500, 0.3, 10_000)))
                                .withAdvertised(relay.front()))) {
            relay.peer(phone.localAddress());
            var media = new ReceiveThreadMedia();
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("wa-inline", phone.offer(), media, listener);
            phone.acceptAnswer(session.answer());
            session.start();
            session.markAccepted();
            listener.connected.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> media.rtp.get() >= 10);

            // Packets that arrived before the SRTP keys were installed went to the owner, as they
            // must; from here on, where the keys are in place, none may.
            media.threads.clear();
            // One second of the phone's packets (50 RTP, a few RTCP): not one owner wake-up.
            long ownerBefore = session.ownerMediaTasks();
            long rtpBefore = media.rtp.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> media.rtp.get() >= rtpBefore + 50);
            assertThat(session.ownerMediaTasks() - ownerBefore)
                    .as("datagrams queued for the owner while 50 RTP packets arrived")
                    .isZero();
            assertThat(media.threads).allMatch(name -> name.startsWith("udp-recv-"));

            // A burst from the peer's own address: beyond the budget it queues for the owner (where
            // SRTP refuses it, as on the receive thread), so it buys no more of the shared thread.
            int burst = 300;
            long ownerBeforeBurst = session.ownerMediaTasks();
            long droppedBefore = refused(session);
            long startNanos = System.nanoTime();
            var random = new Random(11);
            for (int i = 0; i < burst; i++) {
                relay.injectAsPeer(rtpLike(random, i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> refused(session) - droppedBefore >= burst);
            long windows = (System.nanoTime() - startNanos) / 20_000_000L + 2;
            assertThat(session.ownerMediaTasks() - ownerBeforeBurst)
                    .as("datagrams of the burst queued for the owner, %d windows of the budget", windows)
                    .isGreaterThanOrEqualTo(burst - CallReceiver.RECEIVE_THREAD_BUDGET * windows);
            assertThat(session.isConnected()).isTrue();
            session.hangup(EndReason.ApiHangup);
            assertThat(listener.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.ApiHangup);
        }
    }

    /** Datagrams the call refused: by SRTP (on either thread) or for a full owner queue. */
    private static long refused(CallTransport session) throws Exception {
        return session.stats().get(5, TimeUnit.SECONDS).srtp().dropped() + session.mailboxDrops();
    }

    /** RTP-shaped garbage (RFC 7983 first byte 128..191): routed to the call, refused by SRTP. */
    private static byte[] rtpLike(Random random, int i) {
        byte[] datagram = new byte[60 + random.nextInt(100)];
        random.nextBytes(datagram);
        datagram[0] = (byte) 0x80;
        datagram[1] = 111;
        datagram[2] = (byte) (i >> 8);
        datagram[3] = (byte) i;
        return datagram;
    }

    /** A media handler that takes plaintext on any thread, and notes which threads gave it some. */
    private static final class ReceiveThreadMedia implements MediaHandler {
        final AtomicLong rtp = new AtomicLong();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void onTransportReady(dev.voicebridge.worker.pipeline.RtpOutput output) {}

        @Override
        public boolean receivesOnAnyThread() {
            return true;
        }

        @Override
        public void onRtp(byte[] buf, int off, int len) {
            threads.add(Thread.currentThread().getName());
            rtp.incrementAndGet();
        }
    }

    /** A media handler whose first RTP packet keeps the call's owner thread busy until released. */
    private static final class StallingMedia implements MediaHandler {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onTransportReady(dev.voicebridge.worker.pipeline.RtpOutput output) {}

        @Override
        public void onRtp(byte[] buf, int off, int len) {
            if (stalled.getCount() == 0) {
                return;
            }
            stalled.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
