package dev.voicebridge.worker.webrtc;

import static dev.voicebridge.worker.webrtc.RoundTripCall.framesOf;
import static dev.voicebridge.worker.webrtc.RoundTripCall.medianWindowCorrelation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.agent.ListPrice;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.agent.ToolServer;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.realtime.OpenAiRealtimeClient;
import dev.voicebridge.worker.realtime.OpenAiRealtimeConfig;
import dev.voicebridge.worker.realtime.RealtimeProvider;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Caller → model → caller through the real media path on the Realtime API: the WhatsApp-like phone
 * (ICE, DTLS-SRTP, Opus) talks to the worker's CallTransport and pipeline, whose PCM ports are wired
 * to a CallAgent on the fake GA Realtime service over a real WebSocket. Asserts on what the phone
 * hears and when, and on what the model was told.
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

    private static ModelProvider provider() {
        return new RealtimeProvider(new OpenAiRealtimeClient(
                new OpenAiRealtimeConfig(model.baseUri(), KEY, Duration.ofSeconds(3), 0), new ObjectMapper()));
    }

    private static VoiceAgentSpec spec() {
        var spec = new VoiceAgentSpec();
        spec.setModel("gpt-realtime-2.1");
        spec.setInstructions("Round trip test");
        var td = new TurnDetection();
        td.setSilenceDurationMillis(300);
        spec.setTurnDetection(td);
        return spec;
    }

    private void awaitConfigured(int connectionsBefore) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> model.sent("session.updated").size() > connectionsBefore);
    }

    @Test
    void theCallerHearsTheGreetingThenItsOwnWordsBackThroughTheModel() throws Exception {
        model.respondWith(new ResponseAudio.Echo()).greetWith(ResponseAudio.tone(660, 600));
        var spec = spec();
        var greeting = new Greeting();
        greeting.setInstructions("Say hello");
        greeting.setLeadInMillis(200);
        spec.setGreeting(greeting);
        int configured = model.sent("session.updated").size();
        int greetingsBefore = model.received("response.create").size();
        int utterancesBefore = model.utterances().size();
        try (var call = new RoundTripCall(fixture, "wa-agent-roundtrip", spec, provider())) {
            awaitConfigured(configured);
            assertThat(model.received("response.create")).hasSize(greetingsBefore);

            call.accept();
            // The greeting (fake model: 660 Hz, 600 ms) goes out as RTP through the real playout queue.
            await().atMost(Duration.ofSeconds(10)).until(() -> call.workerAudioFrames() >= 30);
            assertThat(model.received("response.create")).hasSize(greetingsBefore + 1);

            // Caller → model: the phone's sweep crosses SRTP, the jitter buffer and Opus decode, and
            // reaches the model as input_audio_buffer.append; the fake hears it as one utterance.
            short[] said = Signals.chirp(300, 1200, 0.3, 800);
            call.phone.play(PcmSource.of(said));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> model.utterances().size() > utterancesBefore);
            short[] utterance = model.utterances().get(utterancesBefore);
            double modelHeard = medianWindowCorrelation(said, utterance);
            assertThat(modelHeard)
                    .as("what the model heard vs what the phone said")
                    .isGreaterThan(0.7);

            // Model → caller: the echo is queued, sent as RTP audio frames and played by the phone.
            long echoFrames = utterance.length / 480;
            await().atMost(Duration.ofSeconds(10)).until(() -> call.workerAudioFrames() >= 30 + echoFrames);
            // The last echo frame was just sent: give it the phone's cushion and the network.
            int target = call.phone.recording().length + 24_000 * 400 / 1000;
            await().atMost(Duration.ofSeconds(5)).until(() -> call.phone.recording().length >= target);
            var snapshot = call.snapshot();
            short[] heard = call.phone.recording();
            var echo = AudioAnalysis.align(said, heard, heard.length - said.length);
            double echoHeard = medianWindowCorrelation(
                    said, Arrays.copyOfRange(heard, Math.max(0, echo.lagSamples() - 2_400), heard.length));
            // Before the echo (the sweep passes 660 Hz too).
            int greetingFrames = framesOf(Arrays.copyOf(heard, echo.lagSamples()), 660);
            var phoneStats = call.phone.stats();
            System.out.printf(
                    "agent round trip: model heard the sweep at correlation %.3f (per 200 ms), worker sent %d agent"
                            + " audio frames, response latency %d ms; phone heard %d of 30 greeting frames (660 Hz) and"
                            + " the echo at correlation %.3f (per 200 ms; %.3f whole), %.0f ms into the recording;"
                            + " phone concealed %d frames; pacer %s%n",
                    modelHeard,
                    call.workerAudioFrames(),
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
            assertThat(call.ends).isEmpty();
        }
    }

    @Test
    void bargeInTruncatesTheAnswerToWhatThePhoneReceived() throws Exception {
        model.respondWith(ResponseAudio.tone(440, 4000));
        int configured = model.sent("session.updated").size();
        int truncatesBefore = model.received("conversation.item.truncate").size();
        try (var call = new RoundTripCall(fixture, "wa-agent-bargein", spec(), provider())) {
            awaitConfigured(configured);
            call.accept();

            call.phone.play(PcmSource.of(Signals.tone(300, 0.25, 500)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> call.arrivalsOf(440).size() >= 50); // 1 s heard
            call.phone.play(PcmSource.of(Signals.tone(300, 0.25, 400))); // the caller talks over the agent
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> model.received("conversation.item.truncate").size() > truncatesBefore);
            var truncate = model.received("conversation.item.truncate")
                    .get(truncatesBefore)
                    .json();
            // what the worker sent before the flush is on its way: let it land
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(3))
                    .until(
                            () -> call.arrivalsOf(440).size(),
                            n -> n == call.arrivalsOf(440).size());
            long heardMs = call.arrivalsOf(440).size() * 20L;
            long audioEndMs = truncate.path("audio_end_ms").asLong();
            System.out.printf(
                    "realtime barge-in through the media path: truncate audio_end_ms=%d, the phone received %d ms"
                            + " of the answer%n",
                    audioEndMs, heardMs);
            assertThat(audioEndMs)
                    .as("truncated at what the phone received")
                    .isCloseTo(heardMs, org.assertj.core.data.Offset.offset(20L));
            assertThat(call.snapshot().interruptions()).isEqualTo(1);
        }
    }

    @Test
    void toolsAndEndCallWorkAndTheCostIsTheFakesUsageAtListPrices() throws Exception {
        model.respondWith(ResponseAudio.tone(440, 300));
        try (var tools = new ToolServer()) {
            var spec = spec();
            var endCall = new AgentTool();
            endCall.setName("end_call");
            endCall.setType(ToolType.builtin);
            spec.setTools(new ArrayList<>(List.of(endCall, tools.tool("get_weather", "/weather", 2000))));
            int configured = model.sent("session.updated").size();
            int responsesBefore = model.responses().size();
            int outputsBefore = model.received("conversation.item.create").size();
            try (var call = new RoundTripCall(fixture, "wa-agent-tools", spec, provider())) {
                awaitConfigured(configured);
                call.accept();

                model.emitFunctionCall("get_weather", "{\"city\":\"Paris\"}", null);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> model.received("conversation.item.create").size() > outputsBefore);
                assertThat(tools.bodies).containsExactly("{\"city\":\"Paris\"}");
                var output = model.received("conversation.item.create")
                        .get(outputsBefore)
                        .json()
                        .path("item");
                assertThat(output.path("output").asText()).isEqualTo("{\"city\":\"Paris\",\"tempC\":21}");
                // the continuation the tool result asked for is heard at the phone
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> call.arrivalsOf(440).size() >= 14);

                model.emitFunctionCall("end_call", "{}", ResponseAudio.tone(660, 600));
                await().atMost(Duration.ofSeconds(8)).until(() -> call.ends.size() == 1);
                assertThat(call.ends.get(0).reason()).isEqualTo(EndReason.AgentHangup);
                // the goodbye was heard whole before the hang-up
                var goodbye = call.arrivalsOf(660);
                assertThat(goodbye.size()).isBetween(26, 32);
                assertThat(call.ends.get(0).nanoTime())
                        .isGreaterThanOrEqualTo(goodbye.getLast().nanoTime() - 20_000_000L);

                var snap = call.agent.finish().get(5, TimeUnit.SECONDS);
                var responses = model.responses()
                        .subList(responsesBefore, model.responses().size());
                var expected = cost(
                        responses, ModelApis.byName("realtime").orElseThrow().listPrice("gpt-realtime-2.1", null));
                System.out.printf("realtime call: %d responses, %s USD%n", responses.size(), expected.toPlainString());
                assertThat(responses).hasSize(3); // the tool call, its continuation, the goodbye with end_call
                assertThat(snap.estimatedCostUsd()).isPositive().isEqualByComparingTo(expected);
                assertThat(snap.toStatus().getEstimatedCostUsd()).isEqualTo(expected.toPlainString());
            }
        }
    }

    /** The cost of the fake's reported usage (summed per kind), by the formula of docs/agent.md. */
    static BigDecimal cost(List<JsonNode> responses, ListPrice p) {
        long inText = 0, inAudio = 0, cachedText = 0, cachedAudio = 0, outText = 0, outAudio = 0;
        for (var r : responses) {
            var in = r.path("usage").path("input_token_details");
            var cached = in.path("cached_tokens_details");
            var out = r.path("usage").path("output_token_details");
            inText += in.path("text_tokens").asLong();
            inAudio += in.path("audio_tokens").asLong();
            cachedText += cached.path("text_tokens").asLong();
            cachedAudio += cached.path("audio_tokens").asLong();
            outText += out.path("text_tokens").asLong();
            outAudio += out.path("audio_tokens").asLong();
        }
        double micro = (inText - cachedText) * p.textInput()
                + cachedText * p.cachedTextInput()
                + (inAudio - cachedAudio) * p.audioInput()
                + cachedAudio * p.cachedAudioInput()
                + outText * p.textOutput()
                + outAudio * p.audioOutput();
        return BigDecimal.valueOf(micro).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);
    }
}
