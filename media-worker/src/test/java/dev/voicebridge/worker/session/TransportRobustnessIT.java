package dev.voicebridge.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.ImpairmentConfig;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.net.UdpImpairmentRelay;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile and broken datagrams on the worker port: random, truncated, replayed and forged STUN,
 * DTLS, SRTP and RTP — from strangers and spoofed as the peer — never crash the worker, never
 * leak routes, are counted, and leave calls' audio intact. Also: DTMF arrives once per key.
 */
@Timeout(90)
class TransportRobustnessIT {
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
    void dtmfDigitsArriveOncePerKeyPress() throws Exception {
        try (SyntheticPhone phone = fixture.phones.newPhone(
                new InetSocketAddress(TestNetwork.PHONE, 0),
                PhoneOptions.defaults().withSource(PcmSource.of(Signals.tone(300, 0.2, 10_000))))) {
            var media = new DtmfMedia(126);
            var listener = new RecordingListener();
            CallSession session = fixture.engine.createSession("wa-dtmf", phone.offer(), media, listener);
            phone.acceptAnswer(session.answer());
            session.start();
            listener.connected.get(10, TimeUnit.SECONDS);
            phone.sendDtmf("1209*#AD");
            await().atMost(Duration.ofSeconds(10)).until(() -> media.digits.size() >= 8);
            // Let stragglers (the thrice-repeated end packets) arrive before judging.
            await().pollDelay(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> true);
            assertThat(media.digits).containsExactly('1', '2', '0', '9', '*', '#', 'A', 'D');
            assertThat(media.duplicates()).isGreaterThanOrEqualTo(8 * 3);
            session.hangup(EndReason.CallerHangup);
        }
    }

    @Test
    void hundredThousandHostileDatagramsAreCountedAndCallsKeepTheirAudio() throws Exception {
        int routesBefore = fixture.engine.port().routeCount();
        // ice4j must never see what it cannot decode: it would log a stack trace per datagram.
        var ice4jComplaints = new java.util.concurrent.CopyOnWriteArrayList<LogRecord>();
        var ice4jLog = Logger.getLogger("org.ice4j");
        Handler complaints = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    ice4jComplaints.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        ice4jLog.addHandler(complaints);
        short[] victimTone = Signals.tone(700, 0.3, 20_000);
        short[] bystanderTone = Signals.tone(1100, 0.3, 20_000);
        // The victim talks through a relay, so the attacker can speak with its address and replay its packets.
        try (UdpImpairmentRelay relay = UdpImpairmentRelay.start(TestNetwork.PHONE, null, ImpairmentConfig.none());
                SyntheticPhone phone = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults()
                                .withSource(PcmSource.of(victimTone))
                                .withAdvertised(relay.front()));
                SyntheticPhone bystander = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults().withSource(PcmSource.of(bystanderTone)));
                DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress(TestNetwork.PHONE, 0))) {
            relay.peer(phone.localAddress());
            var victimListener = new RecordingListener();
            CallSession victimSession =
                    fixture.engine.createSession("wa-victim", phone.offer(), new EchoMedia(), victimListener);
            phone.acceptAnswer(victimSession.answer());
            victimSession.start();
            victimSession.markAccepted();

            var bystanderListener = new RecordingListener();
            CallSession bystanderSession =
                    fixture.engine.createSession("wa-bystander", bystander.offer(), new EchoMedia(), bystanderListener);
            bystander.acceptAnswer(bystanderSession.answer());
            bystanderSession.start();
            bystanderSession.markAccepted();
            victimListener.connected.get(10, TimeUnit.SECONDS);
            bystanderListener.connected.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> relay.capturedFromPeer().size() > 50);
            bystander.startRecording();

            InetSocketAddress worker = fixture.engine.port().localAddress();
            List<byte[]> captured = relay.capturedFromPeer();
            var random = new Random(42);
            int sent = 0;
            for (int i = 0; i < 100_000; i++) {
                byte[] datagram = hostile(random, captured, i);
                if (i % 2 == 0) {
                    relay.injectAsPeer(datagram);
                } else {
                    attacker.send(ByteBuffer.wrap(datagram), worker);
                }
                sent++;
                if ((i & 1023) == 0) {
                    // Keep the flood under what the namespace's socket buffers hold, so it is
                    // processed rather than dropped by the kernel before it reaches us.
                    Thread.onSpinWait();
                    await().pollDelay(Duration.ofMillis(2)).until(() -> true);
                }
            }
            assertThat(sent).isEqualTo(100_000);

            // Both calls are still up and still carry their own audio.
            await().atMost(Duration.ofSeconds(10)).until(() -> bystander.recording().length >= 24_000 * 2);
            short[] heard = bystander.recording();
            var detection = AudioAnalysis.dominant(heard, heard.length - 24_000, 24_000, 24_000, 700, 1100);
            assertThat(detection.hz()).isEqualTo(1100);
            phone.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.recording().length >= 24_000);
            var victimHeard = AudioAnalysis.dominant(phone.recording(), 0, 24_000, 24_000, 700, 1100);
            assertThat(victimHeard.hz()).isEqualTo(700);
            assertThat(victimSession.isConnected()).isTrue();
            assertThat(bystanderSession.isConnected()).isTrue();

            CallStats stats = victimSession.stats().get(5, TimeUnit.SECONDS);
            var port = fixture.engine.port().stats();
            long counted = port.unroutable()
                    + port.malformed()
                    + stats.srtp().dropped()
                    + stats.mailboxDrops()
                    + (stats.ice().rejected() + stats.ice().queueDrops())
                    + stats.dtlsDrops();
            System.out.printf(
                    "fuzz: port %s, victim srtp %s, mailboxDrops %d, badStun %d, dtlsDrops %d%n",
                    port,
                    stats.srtp(),
                    stats.mailboxDrops(),
                    (stats.ice().rejected() + stats.ice().queueDrops()),
                    stats.dtlsDrops());
            assertThat(stats.srtp().authFailures()).isGreaterThan(1000);
            assertThat(stats.srtp().replays() + stats.srtp().invalid()).isGreaterThan(1000);
            assertThat(port.unroutable() + port.malformed()).isGreaterThan(40_000);
            assertThat(counted).isGreaterThan(60_000);
            assertThat(stats.ice().rejected()).isPositive();
            assertThat(ice4jComplaints).extracting(LogRecord::getMessage).isEmpty();

            victimSession.hangup(EndReason.CallerHangup);
            bystanderSession.hangup(EndReason.CallerHangup);
            victimListener.ended.get(5, TimeUnit.SECONDS);
            bystanderListener.ended.get(5, TimeUnit.SECONDS);
            // No leak: every route of the ended calls is gone.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.engine.port().routeCount() == routesBefore);
        } finally {
            ice4jLog.removeHandler(complaints);
        }
    }

    /** One hostile datagram: a mix of garbage by RFC 7983 class, truncations, replays and forgeries. */
    static byte[] hostile(Random random, List<byte[]> captured, int i) {
        return switch (i % 8) {
            case 0 -> { // replay a real SRTP/STUN datagram of the peer
                yield captured.get(random.nextInt(captured.size())).clone();
            }
            case 1 -> { // truncate a real one
                byte[] real = captured.get(random.nextInt(captured.size()));
                yield java.util.Arrays.copyOf(real, random.nextInt(real.length));
            }
            case 2 -> { // flip a bit in a real one (forgery: auth must fail)
                byte[] real = captured.get(random.nextInt(captured.size())).clone();
                real[12 + random.nextInt(Math.max(1, real.length - 12))] ^= (byte) (1 << random.nextInt(8));
                yield real;
            }
            case 3 -> randomWithFirstByte(random, 128 + random.nextInt(64)); // RTP/RTCP-looking
            case 4 -> randomWithFirstByte(random, 20 + random.nextInt(44)); // DTLS-looking
            case 5 -> { // STUN-looking with the magic cookie
                byte[] b = randomWithFirstByte(random, random.nextInt(4));
                if (b.length >= 8) {
                    b[4] = 0x21;
                    b[5] = 0x12;
                    b[6] = (byte) 0xA4;
                    b[7] = 0x42;
                }
                yield b;
            }
            case 6 -> randomWithFirstByte(random, random.nextInt(256)); // anything
            default -> new byte[random.nextInt(3)]; // empty and tiny
        };
    }

    private static byte[] randomWithFirstByte(Random random, int first) {
        byte[] b = new byte[1 + random.nextInt(300)];
        random.nextBytes(b);
        b[0] = (byte) first;
        return b;
    }
}
