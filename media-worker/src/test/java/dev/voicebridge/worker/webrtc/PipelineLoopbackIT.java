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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WhatsApp-like phone against the full worker: transport + audio pipeline, with the caller's
 * audio looped back through the PCM ports. Asserts on what the phone hears.
 */
@Timeout(90)
class PipelineLoopbackIT {
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

    private record Call(SyntheticPhone phone, CallTransport session, LoopbackSink sink, RecordingListener listener) {}

    private static Call call(String id, PhoneOptions options) throws Exception {
        SyntheticPhone phone = fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), options);
        var sink = new LoopbackSink();
        var listener = new RecordingListener();
        CallTransport session = fixture.engine.createCall(id, phone.offer(), sink, listener);
        phone.acceptAnswer(session.answer());
        session.start();
        return new Call(phone, session, sink, listener);
    }

    @Test
    void toneAndSpeechComeBackWithBoundedAddedDelay() throws Exception {
        Call c = call("wa-loop", PhoneOptions.defaults());
        try (SyntheticPhone phone = c.phone()) {
            c.listener().connected.get(10, TimeUnit.SECONDS);
            c.session().markAccepted();
            // Like the agent plane: audio is queued only once the call is accepted.
            c.sink().connect(c.session().agentOutput());
            assertThat(c.session().answer()).contains("a=ssrc:");

            phone.startRecording();
            phone.play(PcmSource.of(Signals.tone(440, 0.3, 3000)));
            await().atMost(Duration.ofSeconds(10)).until(() -> phone.recording().length >= 24_000 * 3);
            short[] toneHeard = phone.recording();
            var detection = AudioAnalysis.dominant(toneHeard, 24_000, 24_000, 24_000, 300, 440, 600, 1000);
            assertThat(detection.hz()).isEqualTo(440);
            // Among the candidates, 440 Hz holds most of the power (≈0.95 on an idle machine; PLC
            // clicks under CPU contention spread some power, hence the margin).
            assertThat(detection.share()).isGreaterThan(0.6);

            short[] speech = Signals.speechLike(3, 6000);
            phone.startRecording();
            phone.play(PcmSource.of(speech));
            await().atMost(Duration.ofSeconds(15)).until(() -> phone.recording().length >= speech.length);
            short[] heard = phone.recording();
            var alignment = AudioAnalysis.align(speech, heard, 24_000);
            var windows = AudioAnalysis.alignWindows(speech, heard, 24_000, 12_000);
            System.out.printf(
                    "loopback: whole-signal correlation %.3f at %.0f ms; per second: %s%n",
                    alignment.correlation(),
                    alignment.lagMillis(24_000),
                    windows.stream()
                            .map(w -> String.format("%.2f@%.0fms", w.correlation(), w.lagMillis(24_000)))
                            .toList());
            TransportStats stats = c.session().stats().get(5, TimeUnit.SECONDS);
            System.out.printf(
                    "loopback: worker jitter buffer %d ms (target %d), concealed %d ms, late %d; phone concealed %d frames%n",
                    stats.media().jitterBufferDepthMillis(),
                    stats.media().jitterBufferTargetMillis(),
                    stats.media().concealedMillis(),
                    stats.media().latePackets(),
                    phone.stats().concealedFrames());
            // Speech comes back recognisably (Opus at WhatsApp's 20 kb/s, twice) in most seconds.
            assertThat(windows).hasSizeGreaterThanOrEqualTo(5);
            var sorted = windows.stream()
                    .mapToDouble(AudioAnalysis.Alignment::correlation)
                    .sorted()
                    .toArray();
            assertThat(sorted[sorted.length / 2])
                    .as("median per-second correlation")
                    .isGreaterThan(0.6);
            // Round trip = phone playout 80 ms + worker jitter buffer (40 ms floor) + pacing ticks
            // on two unsynchronised 20 ms clocks; the worker's share is well under this bound.
            var lags = windows.stream()
                    .mapToDouble(w -> w.lagMillis(24_000))
                    .sorted()
                    .toArray();
            assertThat(lags[lags.length / 2]).as("median round-trip lag, ms").isLessThan(250);
            c.session().hangup(EndReason.CallerHangup);
        }
    }

    @Test
    void noRtpBeforeAcceptThenContinuousRtpWhileTheAgentIsSilent() throws Exception {
        Call c = call("wa-silent", PhoneOptions.defaults());
        try (SyntheticPhone phone = c.phone()) {
            c.listener().connected.get(10, TimeUnit.SECONDS);
            // Connected, the caller talking, but not accepted: the worker stays silent on the wire.
            await().atMost(Duration.ofSeconds(5)).until(() -> c.sink().frames.get() >= 50);
            assertThat(phone.stats().rtpReceived()).isZero();

            long ownerTasks = c.session().ownerMediaTasks();
            long acceptedAt = System.nanoTime();
            c.session().markAccepted();
            await().atMost(Duration.ofSeconds(5)).until(() -> phone.stats().rtpReceived() >= 150);
            // Three seconds of the caller's RTP and RTCP reached the pipeline from the receive
            // thread: not one datagram woke the call's owner.
            assertThat(c.session().ownerMediaTasks() - ownerTasks)
                    .as("caller datagrams handed to the owner")
                    .isZero();
            var stats = phone.stats();
            assertThat(stats.firstRtpNanos()).isGreaterThan(acceptedAt);
            // 20 ms packets, encoded silence: no gap a WhatsApp client would notice.
            assertThat(stats.maxRtpGapMillis()).isLessThan(100);
            TransportStats callStats = c.session().stats().get(5, TimeUnit.SECONDS);
            assertThat(callStats.media().silenceFramesOut()).isGreaterThanOrEqualTo(140);
            c.session().hangup(EndReason.CallerHangup);
        }
    }

    @Test
    void dtmfThroughThePipelineArrivesOncePerKey() throws Exception {
        Call c = call("wa-keys", PhoneOptions.defaults().withSource(PcmSource.of(Signals.tone(500, 0.2, 10_000))));
        try (SyntheticPhone phone = c.phone()) {
            c.listener().connected.get(10, TimeUnit.SECONDS);
            c.session().markAccepted();
            c.sink().connect(c.session().agentOutput());
            phone.sendDtmf("5551234#");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.sink().digits.size() >= 8);
            await().pollDelay(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> true);
            assertThat(c.sink().digits).containsExactly('5', '5', '5', '1', '2', '3', '4', '#');
            c.session().hangup(EndReason.CallerHangup);
        }
    }

    /**
     * Every call's RTP of a tick is queued by the pacer, and the port's sender thread is woken once
     * for all of them at the tick's end, not whenever a packet finds it idle (counted).
     */
    @Test
    void theSenderThreadIsWokenOncePerTickForAllCalls() throws Exception {
        var calls = new java.util.ArrayList<Call>();
        try {
            for (int i = 0; i < 6; i++) {
                calls.add(call(
                        "wa-tick-" + i,
                        PhoneOptions.defaults().withSource(PcmSource.of(Signals.tone(300 + 50 * i, 0.3, 10_000)))));
            }
            for (Call c : calls) {
                c.listener().connected.get(20, TimeUnit.SECONDS);
                c.session().markAccepted();
                c.sink().connect(c.session().agentOutput()); // every call echoes: RTP out every tick
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> calls.stream().allMatch(c -> c.phone().stats().rtpReceived() >= 25));
            var port = fixture.engine.port();
            var pacer = fixture.engine.pacer();
            long sentBefore = port.stats().sent();
            long wakeupsBefore = port.senderWakeups();
            long ticksBefore = pacer.ticks();
            await().pollDelay(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> true);
            long sent = port.stats().sent() - sentBefore;
            long wakeups = port.senderWakeups() - wakeupsBefore;
            long ticks = pacer.ticks() - ticksBefore;
            System.out.printf(
                    "6 calls, %d shards: %d ticks, %d datagrams sent, %d sender wake-ups%n",
                    pacer.shards(), ticks, sent, wakeups);
            // A tick is one shard's: its share of the six calls (all six with one shard).
            assertThat(sent).as("six calls' RTP").isGreaterThanOrEqualTo(5 * ticks / pacer.shards());
            // One per shard's tick, plus other threads' datagrams (RTCP, ICE consent: about 10 a second
            // here), which wake it at once; without the hold it was about 5 per tick (483 in 100).
            assertThat(wakeups).as("sender wake-ups").isLessThanOrEqualTo(ticks + ticks / 2);
        } finally {
            for (Call c : calls) {
                c.session().hangup(EndReason.CallerHangup);
                c.phone().close();
            }
        }
    }

    @Test
    void lossAndJitterAreConcealedAndAudioStillCorrelates() throws Exception {
        try (var relay = UdpImpairmentRelay.start(TestNetwork.PHONE, null, new ImpairmentConfig(5, 30, 1, 99))) {
            Call c = call("wa-lossy", PhoneOptions.defaults().withAdvertised(relay.front()));
            relay.peer(c.phone().localAddress());
            try (SyntheticPhone phone = c.phone()) {
                c.listener().connected.get(20, TimeUnit.SECONDS);
                c.session().markAccepted();
                c.sink().connect(c.session().agentOutput());
                short[] speech = Signals.speechLike(11, 8000);
                phone.startRecording();
                phone.play(PcmSource.of(speech));
                await().atMost(Duration.ofSeconds(20)).until(() -> phone.recording().length >= speech.length);
                short[] heard = phone.recording();
                var alignment = AudioAnalysis.align(speech, heard, 24_000);
                var windows = AudioAnalysis.alignWindows(speech, heard, 24_000, 12_000);
                TransportStats stats = c.session().stats().get(5, TimeUnit.SECONDS);
                System.out.printf(
                        "lossy loopback: correlation %.3f, lag %.0f ms, per second %s, worker concealed %d ms (fec %d,"
                                + " plc %d), late %d, lost %d, jitter %.1f ms, relay dropped %d; phone concealed %d%n",
                        alignment.correlation(),
                        alignment.lagMillis(24_000),
                        windows.stream()
                                .map(w -> String.format("%.2f@%.0fms", w.correlation(), w.lagMillis(24_000)))
                                .toList(),
                        stats.media().concealedMillis(),
                        stats.media().fecFrames(),
                        stats.media().plcFrames(),
                        stats.media().latePackets(),
                        stats.media().packetsLost(),
                        stats.media().jitterMillis(),
                        relay.dropped(),
                        phone.stats().concealedFrames());
                assertThat(stats.media().concealedMillis()).isPositive();
                assertThat(c.sink().concealed.get()).isPositive();
                // Per second: each late packet on the way in grows the worker's jitter buffer by a
                // frame (a slip), which a single whole-signal lag scores as damage; 0.5-0.8 whole.
                var sorted = windows.stream()
                        .mapToDouble(AudioAnalysis.Alignment::correlation)
                        .sorted()
                        .toArray();
                assertThat(sorted[sorted.length / 2])
                        .as("median per-second correlation")
                        .isGreaterThan(0.5);
                c.session().hangup(EndReason.CallerHangup);
            }
        }
    }
}
