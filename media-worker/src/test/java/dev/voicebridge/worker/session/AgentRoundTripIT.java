package dev.voicebridge.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.agent.CallAgent;
import dev.voicebridge.worker.agent.CallAgentSetup;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.realtime.OpenAiRealtimeClient;
import dev.voicebridge.worker.realtime.OpenAiRealtimeConfig;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Caller → model → caller through the real media path: the WhatsApp-like phone (ICE, DTLS-SRTP,
 * Opus) talks to the worker's CallSession and pipeline, whose PCM ports are wired to a CallAgent on
 * the fake GA realtime service (echo answers) over a real WebSocket. Asserts on what the phone hears.
 */
@Timeout(60)
class AgentRoundTripIT {
    private static final String KEY = "sk-roundtrip";
    private static WorkerFixture fixture;
    private static FakeRealtimeServer model;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        fixture = new WorkerFixture(WorkerFixture.testConfig());
        model = FakeRealtimeServer.start(KEY);
    }

    @AfterAll
    static void stop() {
        if (model != null) {
            model.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The session needs its sink before the agent (which needs the session's output) exists. */
    private static final class LateSink implements CallerAudioSink {
        volatile CallerAudioSink target;

        @Override
        public void onCallerAudio(short[] frame, boolean concealed) {
            var t = target;
            if (t != null) {
                t.onCallerAudio(frame, concealed);
            }
        }
    }

    private static long workerAudioFrames(CallSession session) throws Exception {
        return session.stats().get(2, TimeUnit.SECONDS).media().audioFramesOut();
    }

    /**
     * Median correlation of 200 ms windows, each free to slip ±100 ms: a jitter buffer that grew
     * by a frame mid-utterance (under CPU contention) costs one window, not the whole score.
     * Unrelated audio scores below 0.1.
     */
    private static double medianWindowCorrelation(short[] said, short[] heard) {
        var windows = AudioAnalysis.alignWindows(said, heard, 4_800, 4_800);
        assertThat(windows).as("windows of the sweep found in what was heard").hasSizeGreaterThanOrEqualTo(3);
        double[] c = windows.stream()
                .mapToDouble(AudioAnalysis.Alignment::correlation)
                .sorted()
                .toArray();
        return c[c.length / 2];
    }

    /** 20 ms frames in which {@code hz} dominates (the greeting is 660 Hz). */
    private static int framesOf(short[] pcm, double hz) {
        int n = 0;
        for (int off = 0; off + 480 <= pcm.length; off += 480) {
            var d = AudioAnalysis.dominant(pcm, off, 480, 24_000, 300, 500, 660, 1000);
            if (AudioAnalysis.rms(pcm, off, 480) > 0.02 && d.hz() == hz && d.share() > 0.6) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theCallerHearsTheGreetingThenItsOwnWordsBackThroughTheModel() throws Exception {
        model.respondWith(new ResponseAudio.Echo()).greetWith(ResponseAudio.tone(660, 600));
        var spec = new VoiceAgentSpec();
        spec.setInstructions("Echo test");
        var greeting = new Greeting();
        greeting.setInstructions("Say hello");
        greeting.setLeadInMillis(200);
        spec.setGreeting(greeting);
        var td = new TurnDetection();
        td.setSilenceDurationMillis(300);
        spec.setTurnDetection(td);

        var ends = new java.util.concurrent.CopyOnWriteArrayList<EndReason>();
        SyntheticPhone phone =
                fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults());
        var sink = new LateSink();
        var listener = new RecordingListener();
        CallSession session = fixture.engine.createCall("wa-agent-roundtrip", phone.offer(), sink, listener);
        var json = new ObjectMapper();
        var client = new RealtimeProvider(new OpenAiRealtimeClient(
                new OpenAiRealtimeConfig(model.baseUri(), KEY, Duration.ofSeconds(3), 0), json));
        var agent = new CallAgent(
                new CallAgentSetup(
                        "wa-agent-roundtrip",
                        spec,
                        null,
                        client,
                        session.agentOutput(),
                        (reason, detail) -> ends.add(reason),
                        null,
                        AgentConfig.DEFAULTS),
                json);
        sink.target = agent;
        try (phone;
                agent) {
            agent.start(); // pre-warm while ICE/DTLS run
            phone.acceptAnswer(session.answer());
            session.start();
            listener.connected.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !model.sent("session.updated").isEmpty());
            assertThat(model.received("response.create")).isEmpty();

            session.markAccepted();
            phone.startRecording();
            agent.mediaUp();
            // The greeting (fake model: 660 Hz, 600 ms) goes out as RTP through the real playout queue.
            await().atMost(Duration.ofSeconds(10)).until(() -> workerAudioFrames(session) >= 30);
            assertThat(model.received("response.create")).hasSize(1);

            // Caller → model: the phone's sweep crosses SRTP, the jitter buffer and Opus decode, and
            // reaches the model as input_audio_buffer.append; the fake hears it as one utterance.
            short[] said = Signals.chirp(300, 1200, 0.3, 800);
            phone.play(PcmSource.of(said));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !model.utterances().isEmpty());
            short[] utterance = model.utterances().get(0);
            double modelHeard = medianWindowCorrelation(said, utterance);
            assertThat(modelHeard)
                    .as("what the model heard vs what the phone said")
                    .isGreaterThan(0.7);

            // Model → caller: the echo is queued, sent as RTP audio frames and played by the phone.
            long echoFrames = utterance.length / 480;
            await().atMost(Duration.ofSeconds(10)).until(() -> workerAudioFrames(session) >= 30 + echoFrames);
            // The last echo frame was just sent: give it the phone's cushion and the network.
            int target = phone.recording().length + 24_000 * 400 / 1000;
            await().atMost(Duration.ofSeconds(5)).until(() -> phone.recording().length >= target);
            var snapshot = agent.snapshot().get(2, TimeUnit.SECONDS);
            short[] heard = phone.recording();
            var echo = AudioAnalysis.align(said, heard, heard.length - said.length);
            double echoHeard = medianWindowCorrelation(
                    said, Arrays.copyOfRange(heard, Math.max(0, echo.lagSamples() - 2_400), heard.length));
            // Before the echo (the sweep passes 660 Hz too).
            int greetingFrames = framesOf(Arrays.copyOf(heard, echo.lagSamples()), 660);
            var phoneStats = phone.stats();
            System.out.printf(
                    "agent round trip: model heard the sweep at correlation %.3f (per 200 ms), worker sent %d agent"
                            + " audio frames, response latency %d ms; phone heard %d of 30 greeting frames (660 Hz) and"
                            + " the echo at correlation %.3f (per 200 ms; %.3f whole), %.0f ms into the recording;"
                            + " phone concealed %d frames; pacer %s%n",
                    modelHeard,
                    workerAudioFrames(session),
                    snapshot.lastLatencyMillis(),
                    greetingFrames,
                    echoHeard,
                    echo.correlation(),
                    echo.lagMillis(24_000),
                    phoneStats.concealedFrames(),
                    fixture.engine.pacer());
            // The greeting: 600 ms of 660 Hz = 30 frames, plus one straddling each edge on the phone's ticks.
            assertThat(greetingFrames).as("greeting frames the phone heard").isBetween(26, 32);
            // The echo: two Opus generations at WhatsApp's 20 kb/s; unrelated audio scores < 0.1.
            assertThat(echoHeard).as("echo the phone heard vs what it said").isGreaterThan(0.6);
            // Nothing sent was lost on the way: a loopback path conceals (almost) nothing.
            assertThat(phoneStats.concealedFrames())
                    .as("frames the phone concealed")
                    .isLessThan(10);
            assertThat(snapshot.lastLatencyMillis()).isBetween(0L, 3000L);
            assertThat(ends).isEmpty();
            session.hangup(EndReason.CallerHangup);
        }
    }
}
