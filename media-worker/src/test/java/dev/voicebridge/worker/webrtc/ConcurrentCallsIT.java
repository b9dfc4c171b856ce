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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Twenty calls on one worker port: all connect and each caller hears only its own tone back. */
@Timeout(90)
class ConcurrentCallsIT {
    private static final int CALLS = 20;

    @Test
    void twentyCallsShareOnePortAndKeepTheirAudioApart() throws Exception {
        TestNetwork.requireNamespace();
        double[] tones = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            // 300..2200 Hz in 100 Hz steps: inside WhatsApp's 16 kHz playback band, and at least
            // five Goertzel bins apart over one second.
            tones[i] = 300 + 100 * i;
        }
        try (var fixture = new WorkerFixture(WorkerFixture.testConfig())) {
            var phones = new ArrayList<SyntheticPhone>();
            var sessions = new ArrayList<CallTransport>();
            var listeners = new ArrayList<RecordingListener>();
            for (int i = 0; i < CALLS; i++) {
                SyntheticPhone phone = fixture.phones.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        PhoneOptions.defaults().withSource(PcmSource.of(Signals.tone(tones[i], 0.3, 30_000))));
                var listener = new RecordingListener();
                CallTransport session =
                        fixture.engine.createTransport("wa-" + i, phone.offer(), new EchoMedia(), listener);
                phone.acceptAnswer(session.answer());
                session.start();
                session.markAccepted();
                phones.add(phone);
                sessions.add(session);
                listeners.add(listener);
            }
            for (RecordingListener listener : listeners) {
                listener.connected.get(20, TimeUnit.SECONDS);
            }
            // ice4j would read each call's STUN on a platform thread of its own; the port hands it
            // to ice4j directly instead, so twenty calls leave no such thread.
            assertThat(Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.getName().startsWith("IceConnector")))
                    .as("ice4j STUN reader threads")
                    .isEmpty();
            assertThat(sessions).allMatch(CallTransport::iceReadersRetired);
            assertThat(fixture.engine.transports()).hasSize(CALLS);
            assertThat(fixture.engine.port().localAddress().getPort())
                    .as("one port for all calls")
                    .isPositive();
            phones.forEach(SyntheticPhone::startRecording);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> phones.stream().allMatch(p -> p.recording().length >= 24_000 * 2));

            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                short[] heard = phones.get(i).recording();
                var detection = AudioAnalysis.dominant(heard, 24_000, 24_000, 24_000, tones);
                if (detection.hz() != tones[i] || detection.share() < 0.8) {
                    wrong.add("call " + i + " heard " + detection);
                }
            }
            assertThat(wrong).isEmpty();
            for (int i = 0; i < CALLS; i++) {
                TransportStats stats = sessions.get(i).stats().get(5, TimeUnit.SECONDS);
                assertThat(stats.srtp().authFailures()).isZero();
                assertThat(stats.mailboxDrops()).isZero();
                sessions.get(i).hangup(EndReason.CallerHangup);
            }
            for (RecordingListener listener : listeners) {
                assertThat(listener.ended.get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.CallerHangup);
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.engine.port().routeCount() == 0);
            // Nor do ended calls leave one.
            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("IceConnector")));
            phones.forEach(SyntheticPhone::close);
        }
    }
}
