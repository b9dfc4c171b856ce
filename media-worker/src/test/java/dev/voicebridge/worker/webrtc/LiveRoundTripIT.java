package dev.voicebridge.worker.webrtc;

import static dev.voicebridge.worker.webrtc.RoundTripCall.framesOf;
import static dev.voicebridge.worker.webrtc.RoundTripCall.medianWindowCorrelation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.live.FakeLiveServer;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.realtime.ClientEventRecord;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.agent.ToolServer;
import dev.voicebridge.worker.live.LiveClient;
import dev.voicebridge.worker.live.LiveClientConfig;
import dev.voicebridge.worker.live.LiveProvider;
import dev.voicebridge.worker.live.LiveTuning;
import dev.voicebridge.worker.model.ModelProvider;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Caller → model → caller through the real media path on GPT-Live: the WhatsApp-like phone talks
 * to the worker's CallTransport and pipeline, wired to a CallAgent on the fake GPT-Live service over
 * a real WebSocket. The model streams in real time and stops by itself when the phone talks over
 * it; the phone's own arrival times show how long it kept hearing the model.
 */
@Timeout(60)
class LiveRoundTripIT {
    private static final String KEY = "sk-live-roundtrip";
    private static WorkerFixture fixture;
    private FakeLiveServer model;

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

    @BeforeEach
    void startModel() {
        model = FakeLiveServer.start(KEY);
    }

    @AfterEach
    void stopModel() {
        model.close();
    }

    private ModelProvider provider() {
        var config = new LiveClientConfig(model.uri(), KEY, Duration.ofSeconds(3), Duration.ofSeconds(5), null, 0);
        return new LiveProvider(new LiveClient(config, new ObjectMapper()), LiveTuning.DEFAULTS);
    }

    private static VoiceAgentSpec spec() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        spec.setInstructions("Round trip test");
        return spec;
    }

    private void awaitStarted() {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !model.sent("session.started").isEmpty());
    }

    @Test
    void theCallerHearsTheGreetingThenItsOwnWordsBackThroughTheModel() throws Exception {
        model.respondWith(new ResponseAudio.Echo()).commentWith(ResponseAudio.tone(660, 600));
        var spec = spec();
        var greeting = new Greeting();
        greeting.setInstructions("Say hello");
        greeting.setLeadInMillis(200);
        spec.setGreeting(greeting);
        try (var call = new RoundTripCall(fixture, "wa-live-roundtrip", spec, provider())) {
            awaitStarted();
            call.accept();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> model.received("session.commentary.append").size() == 1);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> call.arrivalsOf(660).size() >= 26);

            short[] said = Signals.chirp(300, 1200, 0.3, 800);
            call.phone.play(PcmSource.of(said));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !model.utterances().isEmpty());
            short[] utterance = model.utterances().get(0);
            double modelHeard = medianWindowCorrelation(said, utterance);
            assertThat(modelHeard)
                    .as("what the model heard vs what the phone said")
                    .isGreaterThan(0.7);

            // the echo streams back at real-time pace: wait for it, the phone's cushion and the network
            int target = call.phone.recording().length + 24_000 * (utterance.length / 24 + 600) / 1000;
            await().atMost(Duration.ofSeconds(8)).until(() -> call.phone.recording().length >= target);
            short[] heard = call.phone.recording();
            var echo = AudioAnalysis.align(said, heard, heard.length - said.length);
            double echoHeard = medianWindowCorrelation(
                    said, Arrays.copyOfRange(heard, Math.max(0, echo.lagSamples() - 2_400), heard.length));
            int greetingFrames = framesOf(Arrays.copyOf(heard, echo.lagSamples()), 660);
            var snapshot = call.snapshot();
            System.out.printf(
                    "live round trip: model heard the sweep at correlation %.3f, the phone heard %d of 30 greeting"
                            + " frames and the echo at correlation %.3f, response latency %d ms, phone concealed %d"
                            + " frames%n",
                    modelHeard,
                    greetingFrames,
                    echoHeard,
                    snapshot.lastLatencyMillis(),
                    call.phone.stats().concealedFrames());
            assertThat(greetingFrames).as("greeting frames the phone heard").isBetween(26, 32);
            assertThat(echoHeard).as("echo the phone heard vs what it said").isGreaterThan(0.6);
            assertThat(call.phone.stats().concealedFrames()).isLessThan(10);
            assertThat(snapshot.lastLatencyMillis()).isBetween(0L, 3000L);
            assertThat(call.ends).isEmpty();
        }
    }

    @Test
    void whenTheModelStopsByItselfThePhoneStopsHearingItWithin40Ms() throws Exception {
        model.respondWith(ResponseAudio.tone(440, 4000));
        try (var call = new RoundTripCall(fixture, "wa-live-bargein", spec(), provider())) {
            awaitStarted();
            call.accept();

            call.phone.play(PcmSource.of(Signals.tone(300, 0.25, 500)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> call.arrivalsOf(440).size() >= 50); // 1 s heard
            call.phone.play(PcmSource.of(Signals.tone(300, 0.25, 400))); // the caller talks over the model
            await().atMost(Duration.ofSeconds(5)).until(() -> model.stops().size() == 1);
            var stop = model.stops().get(0);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(3))
                    .until(
                            () -> call.arrivalsOf(440).size(),
                            n -> n == call.arrivalsOf(440).size());
            var heard = call.arrivalsOf(440);
            long afterStopMs = TimeUnit.NANOSECONDS.toMillis(heard.getLast().nanoTime() - stop.nanoTime());
            System.out.printf(
                    "live barge-in through the media path: the model stopped after %d ms of its answer; the phone"
                            + " received %d ms of it, the last %d ms after the model stopped%n",
                    stop.spokenMillis(), heard.size() * 20, afterStopMs);
            assertThat(afterStopMs)
                    .as("ms the phone kept receiving the model after it stopped")
                    .isLessThanOrEqualTo(40);
            // we never cut the model off: nothing but audio went to the service after the start
            assertThat(model.received())
                    .extracting(ClientEventRecord::type)
                    .containsOnly("session.start", "session.input_audio.append");
            assertThat(call.snapshot().interruptions()).isEqualTo(1);
        }
    }

    @Test
    void toolsAndEndCallWorkAndTheCostIsTheFakesSecondsAndBackendTokens() throws Exception {
        model.respondWith(ResponseAudio.tone(440, 300)).afterToolSay(ResponseAudio.tone(550, 400));
        try (var tools = new ToolServer()) {
            var spec = spec();
            var endCall = new AgentTool();
            endCall.setName("end_call");
            endCall.setType(ToolType.builtin);
            spec.setTools(new ArrayList<>(List.of(endCall, tools.tool("get_weather", "/weather", 2000))));
            try (var call = new RoundTripCall(fixture, "wa-live-tools", spec, provider())) {
                awaitStarted();
                call.accept();

                model.emitFunctionCall("get_weather", "{\"city\":\"Paris\"}");
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> model.received("response.create").size() == 1);
                assertThat(tools.bodies).containsExactly("{\"city\":\"Paris\"}");
                assertThat(model.toolOutputs().get(0).output()).isEqualTo("{\"city\":\"Paris\",\"tempC\":21}");
                // the model speaks the tool's result, and the phone hears it
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> call.arrivalsOf(550).size() >= 18);

                model.emitFunctionCall("end_call", "{}");
                await().atMost(Duration.ofSeconds(8)).until(() -> call.ends.size() == 1);
                assertThat(call.ends.get(0).reason()).isEqualTo(EndReason.AgentHangup);
                // sent before the hang-up; the fake records it on its own thread
                await().atMost(Duration.ofSeconds(2))
                        .until(() -> model.toolOutputs().size() == 2);
                assertThat(model.toolOutputs().get(1).output()).isEqualTo("{\"ok\":true}");
                assertThat(model.received("response.create")).hasSize(1);

                var snap = call.agent.finish().get(10, TimeUnit.SECONDS);
                double seconds = model.sent("session.closed")
                        .get(0)
                        .path("usage")
                        .path("seconds")
                        .asDouble();
                long in = 0, cached = 0, out = 0;
                for (var r : model.wrapped("response.completed")) {
                    var u = r.path("event").path("response").path("usage");
                    in += u.path("input_tokens").asLong();
                    cached +=
                            u.path("input_tokens_details").path("cached_tokens").asLong();
                    out += u.path("output_tokens").asLong();
                }
                var p = ModelApis.byName("live").orElseThrow().listPrice("gpt-live-1.1", null);
                double micro = seconds / 60 * p.activePerMinute() * 1_000_000
                        + (in - cached) * p.backendInput()
                        + cached * p.backendCachedInput()
                        + out * p.backendOutput();
                var expected = BigDecimal.valueOf(micro).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);
                System.out.printf(
                        "live call: %.3f s of session, backend %d in (%d cached) / %d out tokens: %s USD%n",
                        seconds, in, cached, out, expected.toPlainString());
                assertThat(snap.usage().sessionSeconds()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(snap.estimatedCostUsd()).isPositive().isEqualByComparingTo(expected);
                assertThat(snap.toStatus().getSessionSeconds()).isEqualTo(Math.round(seconds * 1000) / 1000.0);
                assertThat(snap.toStatus().getEstimatedCostUsd()).isEqualTo(expected.toPlainString());
            }
        }
    }
}
