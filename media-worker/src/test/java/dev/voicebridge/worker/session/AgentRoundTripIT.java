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
import java.net.InetSocketAddress;
import java.time.Duration;
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
        NetnsAddresses.requireNamespace();
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
                fixture.phones.newPhone(new InetSocketAddress(NetnsAddresses.PHONE, 0), PhoneOptions.defaults());
        var sink = new LateSink();
        var listener = new RecordingListener();
        CallSession session = fixture.engine.createCall("wa-agent-roundtrip", phone.offer(), sink, listener);
        var json = new ObjectMapper();
        var client = new OpenAiRealtimeClient(
                new OpenAiRealtimeConfig(model.baseUri(), KEY, Duration.ofSeconds(3), 0), json);
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

            // Caller → model: the phone's tone crosses SRTP, the jitter buffer and Opus decode, and
            // reaches the model as input_audio_buffer.append; the fake hears it as one utterance.
            phone.play(PcmSource.of(Signals.tone(500, 0.3, 800)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !model.utterances().isEmpty());
            short[] utterance = model.utterances().get(0);
            int heardByModel = framesOf(utterance, 500);
            assertThat(heardByModel).as("500 Hz frames the model received").isBetween(30, 48);

            // Model → caller: the echo is queued and sent as RTP audio frames (not silence).
            long echoFrames = utterance.length / 480;
            await().atMost(Duration.ofSeconds(10)).until(() -> workerAudioFrames(session) >= 30 + echoFrames);
            var snapshot = agent.snapshot().get(2, TimeUnit.SECONDS);
            short[] heard = phone.recording();
            System.out.printf(
                    "agent round trip: model heard %d frames of 500 Hz (800 ms sent), worker sent %d agent audio"
                            + " frames, response latency %d ms; phone heard %d frames of 660 Hz and %d of 500 Hz"
                            + " (phone concealed %d frames)%n",
                    heardByModel,
                    workerAudioFrames(session),
                    snapshot.lastLatencyMillis(),
                    framesOf(heard, 660),
                    framesOf(heard, 500),
                    phone.stats().concealedFrames());
            assertThat(snapshot.lastLatencyMillis()).isBetween(0L, 3000L);
            assertThat(ends).isEmpty();
            session.hangup(EndReason.CallerHangup);
        }
    }
}
