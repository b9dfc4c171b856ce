package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.WhatsAppOffer;
import dev.voicebridge.media.stun.IceLite;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.ice.Refusal;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a call sets up (issue 12, defect 3): the engine's start-up self-call, the DTLS resend timer
 * taken from the ICE round trip, and DTLS starting on ICE's selection itself. Mechanisms, not
 * wall-clock figures: those are docs/benchmarks.md's.
 */
@Timeout(60)
class CallSetupIT {
    private static WorkerFixture fixture;
    private static WarmUp.Result warmUp;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        fixture = new WorkerFixture(WorkerFixture.testConfig());
        warmUp = fixture.engine.warmUp(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private SyntheticPhone phone() throws Exception {
        return fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults());
    }

    @Test
    void theSelfCallWentThroughTheWholeEngineAndLeftNothingBehind() {
        assertThat(warmUp.complete()).as("%s", warmUp).isTrue();
        assertThat(warmUp.iceMillis()).isNotNegative();
        assertThat(warmUp.dtlsMillis()).isNotNegative();
        assertThat(warmUp.framesBack()).isGreaterThanOrEqualTo(WarmUp.FRAMES);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fixture.engine.transports().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.engine.port().routeCount() == 0);
        // Its loopback candidate went through a guard of its own: the worker's refusals stay clean.
        for (Refusal r : Refusal.values()) {
            assertThat(fixture.engine.iceGuard().refused(r)).as(r.label()).isZero();
        }
    }

    /**
     * WhatsApp may get our answer (from pre_accept) after our checks succeeded: ICE-lite answers
     * checks without it, but cannot take a ClientHello before it knows our fingerprint. The
     * ClientHello goes again after twice the ICE round trip (at least 50 ms) and doubling, not
     * after RFC 6347's default second, which had made such calls' DTLS take over a second.
     */
    @Test
    void aClientHelloThatArrivesBeforeTheAnswerIsResentOnTheIceRoundTripTimer() throws Exception {
        try (SyntheticPhone phone = phone()) {
            var listener = new RecordingListener();
            CallTransport session =
                    fixture.engine.createTransport("late-answer", phone.offer(), new EchoMedia(), listener);
            session.start();
            // ICE completes without the answer; the first ClientHello reaches a phone without it.
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.dtlsDroppedEarly() > 0);
            phone.acceptAnswer(session.answer());
            listener.connected.get(10, TimeUnit.SECONDS);

            TransportStats stats = session.stats().get(5, TimeUnit.SECONDS);
            assertThat(stats.ice().roundTripMicros()).isBetween(0L, 25_000L);
            assertThat(stats.dtlsResendMillis())
                    .isEqualTo(CallTransport.MIN_DTLS_RESEND.toMillis())
                    .isEqualTo(CallTransport.dtlsResend(
                                    Duration.ofNanos(stats.ice().roundTripMicros() * 1000))
                            .toMillis());
            assertThat(stats.dtlsRetransmissions()).isPositive();
            session.hangup(EndReason.CallerHangup);
            listener.ended.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theResendTimerIsTwiceTheRoundTripWithinFiftyMillisAndASecond() {
        assertThat(CallTransport.dtlsResend(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(CallTransport.dtlsResend(Duration.ofNanos(300_000))).isEqualTo(Duration.ofMillis(50));
        assertThat(CallTransport.dtlsResend(Duration.ofMillis(80))).isEqualTo(Duration.ofMillis(160));
        assertThat(CallTransport.dtlsResend(Duration.ofMillis(700))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPhoneThatHasTheAnswerTakesTheFirstClientHello() throws Exception {
        try (SyntheticPhone phone = phone()) {
            var listener = new RecordingListener();
            CallTransport session =
                    fixture.engine.createTransport("early-answer", phone.offer(), new EchoMedia(), listener);
            phone.acceptAnswer(session.answer());
            session.start();
            listener.connected.get(10, TimeUnit.SECONDS);
            assertThat(phone.dtlsDroppedEarly()).isZero();
            session.hangup(EndReason.CallerHangup);
            listener.ended.get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A call costs no platform thread: ice4j's reader thread per call ({@code IceConnector@…}) is
     * retired and the call's STUN reaches ice4j directly; its pools are shared. Ten running calls
     * hold no platform thread: what they added is at most a few threads of shared pools, and the
     * workers of ice4j's shared cached pool (connectivity checks run on it while they last, so
     * under load the checks of consecutive calls overlap and it grows by a thread or two) are idle
     * in the pool once the calls are up — a call's task parked on one would show here.
     */
    @Test
    void callsCostNoPlatformThreads() throws Exception {
        var before = platformThreads();
        var phones = new ArrayList<SyntheticPhone>();
        var sessions = new ArrayList<CallTransport>();
        try {
            for (int i = 0; i < 10; i++) {
                SyntheticPhone phone = phone();
                phones.add(phone);
                var listener = new RecordingListener();
                CallTransport session =
                        fixture.engine.createCall("threads-" + i, phone.offer(), new LoopbackSink(), listener);
                sessions.add(session);
                phone.acceptAnswer(session.answer());
                session.start();
                listener.connected.get(10, TimeUnit.SECONDS);
                session.markAccepted();
            }
            assertThat(sessions)
                    .allSatisfy(s -> assertThat(s.iceReadersRetired()).isTrue());
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().startsWith("IceConnector"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var busy = new ArrayList<>(busyPlatformThreads());
                busy.removeAll(before);
                assertThat(busy)
                        .as("platform threads 10 running calls added, idle pool workers aside")
                        .hasSizeLessThanOrEqualTo(3);
            });
        } finally {
            sessions.forEach(s -> s.hangup(EndReason.CallerHangup));
            phones.forEach(SyntheticPhone::close);
        }
    }

    /** Platform threads, less the workers of a thread pool that wait for a task. */
    private static List<String> busyPlatformThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> java.util.Arrays.stream(e.getValue())
                        .noneMatch(f -> f.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                                && f.getMethodName().equals("getTask")))
                .map(e -> e.getKey().getName())
                .toList();
    }

    private static List<String> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream() // virtual threads are not listed
                .map(Thread::getName)
                .toList();
    }

    /**
     * The worker's ClientHello is the very next datagram after the answer to its nominating
     * check: DTLS starts on ICE's selection, before any consent check or other timer.
     */
    @Test
    void dtlsStartsOnTheNominationItself() throws Exception {
        try (var peer = DatagramChannel.open().bind(new InetSocketAddress(TestNetwork.PHONE, 0))) {
            String ufrag = "lite" + System.nanoTime() % 10_000;
            String pwd = "passwordpasswordpassword";
            byte[] key = pwd.getBytes(StandardCharsets.UTF_8);
            String offer = WhatsAppOffer.build(
                    (InetSocketAddress) peer.getLocalAddress(),
                    ufrag,
                    pwd,
                    fixture.engine.fingerprint(),
                    1234,
                    111,
                    126);
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("on-selection", offer, new EchoMedia(), listener);
            session.start();
            var seen = new ArrayList<String>();
            ByteBuffer buf = ByteBuffer.allocate(2048);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!seen.contains("dtls") && System.nanoTime() < deadline) {
                buf.clear();
                var from = (InetSocketAddress) peer.receive(buf);
                buf.flip();
                byte[] data = new byte[buf.remaining()];
                buf.get(data);
                int b0 = data[0] & 0xFF;
                if (b0 >= 20 && b0 <= 63) {
                    seen.add("dtls");
                    continue;
                }
                StunMessage m = StunMessage.decode(data, 0, data.length);
                byte[] reply = m == null ? null : IceLite.answer(m, ufrag, key, from);
                if (reply != null) {
                    peer.send(ByteBuffer.wrap(reply), from);
                    seen.add(m.useCandidate() ? "nominating check" : "check");
                }
            }
            List<String> tail = seen.subList(Math.max(0, seen.size() - 2), seen.size());
            assertThat(tail).as("%s", seen).containsExactly("nominating check", "dtls");
            session.hangup(EndReason.CallerHangup);
            listener.ended.get(5, TimeUnit.SECONDS);
        }
    }
}
