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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The WhatsApp-like phone (ICE-lite, DTLS server) calls the worker over the namespace's veth. */
@Timeout(60)
class SyntheticPhoneCallIT {
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

    private SyntheticPhone phone(PhoneOptions options) throws Exception {
        return fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), options);
    }

    @Test
    void connectsHoldsRtpUntilAcceptedThenLoopsAToneBack() throws Exception {
        short[] tone = Signals.tone(440, 0.3, 4000);
        try (SyntheticPhone phone = phone(PhoneOptions.defaults().withSource(PcmSource.of(tone)))) {
            var media = new EchoMedia();
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("wa-tone", phone.offer(), media, listener);
            phone.acceptAnswer(session.answer());
            session.start();

            assertThat(phone.awaitConnected(Duration.ofSeconds(10))).isTrue();
            listener.connected.get(10, TimeUnit.SECONDS);
            // Not accepted yet: the caller's audio arrives, nothing goes back.
            await().atMost(Duration.ofSeconds(5)).until(() -> media.received() >= 10);
            assertThat(phone.stats().rtpReceived()).isZero();
            // The first authenticated packet is reported once (acceptBy: media takes it as the accept).
            assertThat(listener.callerMedia).hasValue(1);
            TransportStats before = session.stats().get(5, TimeUnit.SECONDS);
            assertThat(before.rtpHeldBeforeAccept()).isGreaterThan(0);
            assertThat(before.rtpSent()).isZero();

            phone.play(PcmSource.of(tone));
            phone.startRecording();
            session.markAccepted();
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.recording().length >= 24_000 * 2);

            short[] heard = phone.recording();
            var detection = AudioAnalysis.dominant(heard, 24_000, 24_000, 24_000, 300, 440, 600, 1000);
            assertThat(detection.hz()).isEqualTo(440);
            assertThat(detection.share()).isGreaterThan(0.9);

            TransportStats stats = session.stats().get(5, TimeUnit.SECONDS);
            assertThat(stats.state()).isEqualTo("CONNECTED");
            assertThat(stats.srtpProfile()).isEqualTo("AES128_CM_HMAC_SHA1_80");
            assertThat(stats.ice().selectedPair()).contains(TestNetwork.PHONE);
            // An ICE-lite peer: our checks and consent requests are the only ones, it never sends any.
            assertThat(stats.ice().controlling()).isTrue();
            assertThat(stats.ice().requestsSent()).isPositive();
            assertThat(stats.ice().responsesReceived()).isPositive();
            assertThat(stats.ice().requestsReceived()).isZero();
            assertThat(stats.ice().consentAgeMillis()).isBetween(0L, 3000L);
            assertThat(stats.iceMillis()).isBetween(0L, 5000L);
            assertThat(stats.dtlsMillis()).isBetween(0L, 5000L);
            assertThat(stats.srtp().authFailures()).isZero();

            session.hangup(EndReason.CallerHangup);
            assertThat(listener.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.CallerHangup);
        }
    }

    @Test
    void fingerprintMismatchFailsClosedWithDtlsFailed() throws Exception {
        try (SyntheticPhone phone = phone(PhoneOptions.defaults().withWrongFingerprint())) {
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("wa-liar", phone.offer(), new EchoMedia(), listener);
            phone.acceptAnswer(session.answer());
            session.start();
            assertThat(listener.ended.get(15, TimeUnit.SECONDS)).isEqualTo(EndReason.DtlsFailed);
            assertThat(listener.endDetail).contains("FINGERPRINT_MISMATCH");
            assertThat(listener.connected).isNotDone();
            assertThat(phone.stats().rtpReceived()).isZero();
        }
    }

    @Test
    void silentPeerEndsTheCallWithIceFailed() throws Exception {
        // An offer whose candidate points at a port where nobody answers checks.
        try (SyntheticPhone phone = phone(PhoneOptions.defaults())) {
            var deaf = new InetSocketAddress(TestNetwork.PHONE, 9);
            String offer = phone.offer().replace(" " + phone.localAddress().getPort() + " typ host", " 9 typ host");
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("wa-deaf", offer, new EchoMedia(), listener);
            session.start();
            assertThat(listener.ended.get(15, TimeUnit.SECONDS)).isEqualTo(EndReason.IceFailed);
            assertThat(deaf.getPort()).isEqualTo(9);
            // Checks went out and nothing answered them: a reachability problem, told apart.
            assertThat(listener.endDetail).contains("CHECKS_TIMED_OUT").contains(" 0 answered");
            assertThat(listener.endDetail).doesNotContain("(0 requests");
        }
    }

    @Test
    void consentLossAfterConnectEndsTheCallWithIceFailed() throws Exception {
        SyntheticPhone phone = phone(PhoneOptions.defaults());
        var listener = new RecordingListener();
        CallTransport session = fixture.engine.createTransport("wa-gone", phone.offer(), new EchoMedia(), listener);
        phone.acceptAnswer(session.answer());
        session.start();
        listener.connected.get(10, TimeUnit.SECONDS);
        // Answered consent moves the watchdog's deadline: past a whole consent timeout (3 s
        // here) after the pair was selected, the call is still up and its consent fresh.
        long pastTimeout = WorkerFixture.testConfig().ice().consentTimeout().toMillis() + 1000;
        await().pollDelay(Duration.ofMillis(pastTimeout))
                .atMost(Duration.ofMillis(pastTimeout + 1000))
                .until(() -> true);
        assertThat(listener.ended).isNotDone();
        TransportStats alive = session.stats().get(5, TimeUnit.SECONDS);
        assertThat(alive.state()).isEqualTo("CONNECTED");
        assertThat(alive.ice().consentAgeMillis()).isBetween(0L, 1500L);
        phone.vanish(); // no close_notify: only unanswered consent requests tell
        assertThat(listener.ended.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.IceFailed);
        assertThat(listener.endDetail).contains("CONSENT_LOST");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> fixture.engine.transport("wa-gone").isEmpty());
    }
}
