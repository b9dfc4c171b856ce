package dev.voicebridge.worker.webrtc;

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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 5 % loss and 30 ms jitter (with the reordering it causes) in both directions: ICE and DTLS still
 * complete through retransmissions, SRTP accepts reordered packets (replay window), and speech-like
 * audio looped back through the worker still correlates with what was said.
 */
@Timeout(90)
class ImpairedNetworkIT {
    @Test
    void connectsAndAudioStillCorrelatesUnderLossAndJitter() throws Exception {
        TestNetwork.requireNamespace();
        short[] speech = Signals.speechLike(7, 8_000);
        // The production DTLS timeout (10 s), not the test fixture's 5 s: at 5 % loss per datagram
        // a flight lost twice costs 1 + 2 s of BouncyCastle retransmission timers, and under CPU
        // contention 5 s failed about one run in four here.
        try (var fixture = new WorkerFixture(
                        WorkerFixture.testConfig().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(15)));
                var relay = UdpImpairmentRelay.start(TestNetwork.PHONE, null, new ImpairmentConfig(5, 30, 1, 1234));
                SyntheticPhone phone = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults().withAdvertised(relay.front()))) {
            relay.peer(phone.localAddress());
            var listener = new RecordingListener();
            CallTransport session =
                    fixture.engine.createTransport("wa-lossy", phone.offer(), new EchoMedia(), listener);
            phone.acceptAnswer(session.answer());
            session.start();
            session.markAccepted();
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.connected.isDone() || listener.ended.isDone());
            assertThat(listener.ended)
                    .as(
                            "ended early: %s / phone %s %s / worker %s / relay forwarded %d dropped %d",
                            listener.endDetail,
                            phone.stats(),
                            phone.lastError(),
                            session.stats().get(5, TimeUnit.SECONDS),
                            relay.forwarded(),
                            relay.dropped())
                    .isNotDone();

            phone.startRecording();
            phone.play(PcmSource.of(speech));
            await().atMost(Duration.ofSeconds(20)).until(() -> phone.recording().length >= speech.length);
            short[] heard = phone.recording();

            var alignment = AudioAnalysis.align(speech, heard, 24_000);
            System.out.printf(
                    "impaired: correlation %.3f at lag %.0f ms, relay dropped %d duplicated %d, srtp %s%n",
                    alignment.correlation(),
                    alignment.lagMillis(24_000),
                    relay.dropped(),
                    relay.duplicated(),
                    session.stats().get(5, TimeUnit.SECONDS).srtp());
            assertThat(relay.dropped()).isGreaterThan(10);
            assertThat(alignment.correlation()).isGreaterThan(0.6);
            assertThat(phone.stats().concealedFrames())
                    .as("losses were concealed")
                    .isPositive();
            // Round trip through two impaired legs (0-30 ms each), the worker's echo and the phone's
            // 80 ms cushion: ~110 ms measured. Fixed, whatever the pacers skipped.
            assertThat(alignment.lagMillis(24_000)).isLessThan(300);
            TransportStats stats = session.stats().get(5, TimeUnit.SECONDS);
            assertThat(stats.srtp().replays())
                    .as("relay duplicates are caught by the replay window")
                    .isPositive();
            session.hangup(EndReason.CallerHangup);
        }
    }
}
