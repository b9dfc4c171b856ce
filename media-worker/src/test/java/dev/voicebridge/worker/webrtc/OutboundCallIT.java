package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.SdpRejectedException;
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

/**
 * The worker as the offerer of a business-initiated call, the WhatsApp-like phone as the callee
 * over the namespace's veth: our offer, its answer, ICE, DTLS in the role the answer's {@code
 * a=setup} leaves us (client for {@code passive}, server for {@code active}), and no media either
 * way before the accepted signal.
 */
@Timeout(60)
class OutboundCallIT {
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

    private SyntheticPhone phone(short[] tone) throws Exception {
        return fixture.phones.newPhone(
                new InetSocketAddress(TestNetwork.PHONE, 0),
                PhoneOptions.defaults().withSource(PcmSource.of(tone)));
    }

    @Test
    void passiveAnswerMakesUsTheDtlsClientAndNothingFlowsBeforeAccepted() throws Exception {
        calls("wa-out-passive", false);
    }

    @Test
    void activeAnswerMakesUsTheDtlsServer() throws Exception {
        calls("wa-out-active", true);
    }

    private void calls(String name, boolean phoneIsDtlsClient) throws Exception {
        short[] tone = Signals.tone(440, 0.3, 4000);
        try (SyntheticPhone phone = phone(tone)) {
            var media = new EchoMedia();
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createOutboundTransport(name, media, listener);
            assertThat(session.isOffering()).isTrue();
            // The phone checks the offer as WhatsApp does (CRLF, full ICE, actpass, one fingerprint).
            String answer = phone.answerOffer(session.offer(), phoneIsDtlsClient);
            session.start();
            assertThat(listener.connected)
                    .as("nothing starts before the answer")
                    .isNotDone();
            session.applyAnswer(answer);

            assertThat(phone.awaitConnected(Duration.ofSeconds(10))).isTrue();
            listener.connected.get(10, TimeUnit.SECONDS);
            TransportStats up = session.stats().get(5, TimeUnit.SECONDS);
            assertThat(up.state()).isEqualTo("CONNECTED");
            assertThat(up.ice().controlling()).isTrue();
            assertThat(up.ice().requestsReceived()).as("the callee is ICE-lite").isZero();

            // Ringing: the transport is up, but neither side sends media.
            phone.startRecording();
            await().during(Duration.ofMillis(600))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> phone.mediaDatagramsBeforePickUp() == 0 && media.received() == 0);

            phone.pickUp();
            session.markAccepted();
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.recording().length >= 24_000 * 2);
            short[] heard = phone.recording();
            var detection = AudioAnalysis.dominant(heard, 24_000, 24_000, 24_000, 300, 440, 600, 1000);
            assertThat(detection.hz()).isEqualTo(440);
            assertThat(detection.share()).isGreaterThan(0.9);
            TransportStats stats = session.stats().get(5, TimeUnit.SECONDS);
            assertThat(stats.srtp().authFailures()).isZero();
            assertThat(phone.lastError()).isEmpty();

            session.hangup(EndReason.AgentHangup);
            assertThat(listener.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.AgentHangup);
        }
    }

    @Test
    void anUnusableAnswerIsRefusedWithTheParsersCode() {
        var listener = new RecordingListener();
        CallTransport session = fixture.engine.createOutboundTransport("wa-out-bad", new EchoMedia(), listener);
        try {
            assertThatThrownBy(() -> session.applyAnswer("v=0\r\ns=-\r\n")).isInstanceOf(SdpRejectedException.class);
            assertThatThrownBy(session::answer).isInstanceOf(IllegalStateException.class);
        } finally {
            session.hangup(EndReason.InvalidAnswer);
        }
    }
}
