package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.abuse.DatagramFlood;
import dev.voicebridge.testkit.abuse.HostileDatagrams;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.transport.MalformedKind;
import dev.voicebridge.worker.transport.PortStats;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Hostile and broken datagrams on the worker port (testkit's {@link HostileDatagrams}: malformed, forged,
 * truncated and oversized STUN, DTLS, SRTP, RTP and RTCP — from strangers and from the call's own
 * peer socket) never disturb a call: they are counted, logged at most rate-limited, and calls
 * through the whole pipeline keep their audio as well as without them. Also: DTMF arrives once
 * per key.
 */
@Timeout(120)
class TransportRobustnessIT {
    private static final int FLOOD = 100_000;
    /**
     * {@link #BURST} datagrams every {@link #TICK}: about 20,000 a second, paced so that the
     * kernel's socket buffers, which the flood shares with the calls' real packets, are not what
     * is measured.
     */
    private static final int BURST = 200;

    private static final Duration TICK = Duration.ofMillis(10);
    private static final Duration WINDOW = Duration.ofSeconds(6);
    private static final long LOSS_SLACK = 5;
    private static final long CONCEALED_SLACK_MILLIS = 200;

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
            CallTransport session = fixture.engine.createTransport("wa-dtmf", phone.offer(), media, listener);
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

    private record Call(SyntheticPhone phone, CallTransport session, LoopbackSink sink, RecordingListener listener) {}

    /** A call through the whole worker pipeline, its audio looped back to the phone. */
    private static Call call(String id, double toneHz) throws Exception {
        SyntheticPhone phone = fixture.phones.newPhone(
                new InetSocketAddress(TestNetwork.PHONE, 0),
                PhoneOptions.defaults().withSource(PcmSource.of(Signals.tone(toneHz, 0.3, 60_000))));
        var sink = new LoopbackSink();
        var listener = new RecordingListener();
        CallTransport session = fixture.engine.createCall(id, phone.offer(), sink, listener);
        phone.acceptAnswer(session.answer());
        session.start();
        return new Call(phone, session, sink, listener);
    }

    /** What a call lost and concealed, both ways: the worker's receive side and the phone's. */
    private record Figures(long lost, long late, long concealedMillis, long phoneConcealedFrames, long mailboxDrops) {
        static Figures of(Call c) throws Exception {
            TransportStats s = c.session().stats().get(5, TimeUnit.SECONDS);
            return new Figures(
                    s.media().packetsLost(),
                    s.media().latePackets(),
                    s.media().concealedMillis(),
                    c.phone().stats().concealedFrames(),
                    s.mailboxDrops());
        }

        Figures since(Figures before) {
            return new Figures(
                    lost - before.lost,
                    late - before.late,
                    concealedMillis - before.concealedMillis,
                    phoneConcealedFrames - before.phoneConcealedFrames,
                    mailboxDrops - before.mailboxDrops);
        }
    }

    /**
     * Issue 11 finding 2: 100,000 hostile datagrams of every class, half of them from the attacked
     * call's own peer socket (so they pass address routing), arrive within {@link #WINDOW} while
     * two calls run through the whole pipeline. Both calls lose and conceal no more than in a
     * control window of the same length without the flood, still hear their own tone, and every
     * datagram is counted where it was dropped — with no stack trace and at most a few
     * rate-limited lines in the log.
     */
    @Test
    void hundredThousandHostileDatagramsLeaveLiveCallsTheirAudio() throws Exception {
        int routesBefore = fixture.engine.port().routeCount();
        var logged = new CopyOnWriteArrayList<LogRecord>();
        Logger root = Logger.getLogger("");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Call victim = call("wa-victim", 700);
        Call bystander = call("wa-bystander", 1100);
        try (SyntheticPhone victimPhone = victim.phone();
                SyntheticPhone bystanderPhone = bystander.phone();
                DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress(TestNetwork.PHONE, 0))) {
            for (Call c : List.of(victim, bystander)) {
                c.listener().connected.get(10, TimeUnit.SECONDS);
                c.session().markAccepted();
                c.sink().connect(c.session().agentOutput());
            }
            // Settle: jitter buffers filled, the phones hearing the echo.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> victimPhone.stats().rtpReceived() > 100
                            && bystanderPhone.stats().rtpReceived() > 100);

            // Control: the same window without the flood.
            Figures victimBefore = Figures.of(victim);
            Figures bystanderBefore = Figures.of(bystander);
            victimPhone.startRecording();
            bystanderPhone.startRecording();
            await().pollDelay(WINDOW).atMost(WINDOW.plusSeconds(1)).until(() -> true);
            Figures victimControl = Figures.of(victim).since(victimBefore);
            Figures bystanderControl = Figures.of(bystander).since(bystanderBefore);
            assertHears(victimPhone, 700);
            assertHears(bystanderPhone, 1100);

            // The flood.
            InetSocketAddress worker = fixture.engine.port().localAddress();
            PortStats portBefore = fixture.engine.port().stats();
            TransportStats victimStatsBefore = victim.session().stats().get(5, TimeUnit.SECONDS);
            var hostile = HostileDatagrams.against(42, victim.session().answer(), victimPhone.offer());
            victimBefore = Figures.of(victim);
            bystanderBefore = Figures.of(bystander);
            victimPhone.startRecording();
            bystanderPhone.startRecording();
            root.addHandler(capture);
            long floodStart = System.nanoTime();
            DatagramFlood.Result result;
            try (var flood = DatagramFlood.start(hostile, victimPhone::sendRaw, attacker, worker, FLOOD, BURST, TICK)) {
                result = flood.await(Duration.ofSeconds(60));
            }
            int sent = result.sent();
            Map<HostileDatagrams.Kind, Long> sentByKind = result.byKind();
            long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;
            await().pollDelay(Duration.ofMillis(Math.max(0, WINDOW.toMillis() - floodMillis)))
                    .atMost(WINDOW.plusSeconds(1))
                    .until(() -> true);
            root.removeHandler(capture);
            Figures victimFlood = Figures.of(victim).since(victimBefore);
            Figures bystanderFlood = Figures.of(bystander).since(bystanderBefore);
            PortStats port = fixture.engine.port().stats();
            TransportStats victimStats = victim.session().stats().get(5, TimeUnit.SECONDS);
            System.out.printf(
                    "hostile flood: %d datagrams in %d ms (%s); port received %d, malformed %s, unroutable %d;"
                            + " victim ice rejected %d, queue drops %d, srtp %s, dtls drops %d%n"
                            + "  victim control %s flood %s%n  bystander control %s flood %s%n",
                    sent,
                    floodMillis,
                    sentByKind,
                    port.received() - portBefore.received(),
                    port.malformedByKind(),
                    port.unroutable() - portBefore.unroutable(),
                    victimStats.ice().rejected() - victimStatsBefore.ice().rejected(),
                    victimStats.ice().queueDrops() - victimStatsBefore.ice().queueDrops(),
                    victimStats.srtp(),
                    victimStats.dtlsDrops(),
                    victimControl,
                    victimFlood,
                    bystanderControl,
                    bystanderFlood);

            assertThat(sent).isGreaterThanOrEqualTo(FLOOD);
            // Both calls are still up and still carry their own audio...
            assertThat(victim.session().isConnected()).isTrue();
            assertThat(bystander.session().isConnected()).isTrue();
            assertHears(victimPhone, 700);
            assertHears(bystanderPhone, 1100);
            // ...with no more loss or concealment than without the flood.
            for (var pair : List.of(List.of(victimControl, victimFlood), List.of(bystanderControl, bystanderFlood))) {
                Figures control = pair.get(0);
                Figures flood = pair.get(1);
                assertThat(flood.lost()).as("packets lost").isLessThanOrEqualTo(control.lost() + LOSS_SLACK);
                assertThat(flood.concealedMillis())
                        .as("caller audio concealed by the worker, ms")
                        .isLessThanOrEqualTo(control.concealedMillis() + CONCEALED_SLACK_MILLIS);
                assertThat(flood.phoneConcealedFrames())
                        .as("agent audio concealed by the phone, frames")
                        .isLessThanOrEqualTo(control.phoneConcealedFrames() + CONCEALED_SLACK_MILLIS / 20);
                assertThat(flood.mailboxDrops())
                        .as("real packets dropped from a full mailbox")
                        .isZero();
            }

            // Every class was counted where it was dropped.
            long received = port.received() - portBefore.received();
            assertThat(received).as("datagrams the port read").isGreaterThan(FLOOD * 9 / 10);
            for (MalformedKind kind : MalformedKind.values()) {
                assertThat(port.malformed(kind)).as("malformed %s", kind).isPositive();
            }
            assertThat(port.malformed(MalformedKind.STUN))
                    .as("the 24-byte request among the malformed STUN")
                    .isGreaterThanOrEqualTo(sentByKind.get(HostileDatagrams.Kind.STUN_24_BYTES) * 9 / 10);
            assertThat(victimStats.ice().rejected() - victimStatsBefore.ice().rejected())
                    .as("checks with a wrong MESSAGE-INTEGRITY, refused before ice4j")
                    .isGreaterThanOrEqualTo(sentByKind.get(HostileDatagrams.Kind.STUN_BAD_INTEGRITY) * 9 / 10);
            // Forged SRTP with the call's SSRC from the peer's own socket: refused by the replay
            // window when its random sequence number is too old, else by authentication.
            assertThat(victimStats.srtp().authFailures()
                            + victimStats.srtp().replays()
                            - victimStatsBefore.srtp().authFailures()
                            - victimStatsBefore.srtp().replays())
                    .as("forged SRTP from the peer's own socket")
                    .isGreaterThan(sentByKind.get(HostileDatagrams.Kind.SRTP_FORGED) / 2 * 9 / 10);
            assertThat(port.handlerErrors()).isZero();

            // Logged as data: no stack trace, a few rate-limited lines at most.
            assertThat(logged).as("no stack trace").noneMatch(r -> r.getThrown() != null);
            assertThat(logged.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()))
                    .as("lines logged during the flood")
                    .hasSizeLessThanOrEqualTo(2 * MalformedKind.values().length);

            victim.session().hangup(EndReason.CallerHangup);
            bystander.session().hangup(EndReason.CallerHangup);
            victim.listener().ended.get(5, TimeUnit.SECONDS);
            bystander.listener().ended.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.engine.port().routeCount() == routesBefore);
        } finally {
            root.removeHandler(capture);
        }
    }

    private static void assertHears(SyntheticPhone phone, double hz) {
        await().atMost(Duration.ofSeconds(10)).until(() -> phone.recording().length >= 24_000);
        short[] heard = phone.recording();
        var detection = AudioAnalysis.dominant(heard, heard.length - 24_000, 24_000, 24_000, 700, 1100);
        assertThat(detection.hz()).as("tone the phone hears").isEqualTo((int) hz);
    }
}
