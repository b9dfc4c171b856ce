package dev.voicebridge.worker.agent;

import static dev.voicebridge.testkit.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.agent.ListPrice;
import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.realtime.ClientEventRecord;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.audio.Pcm;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The call agent driving GPT-Live through the port, against the fake GPT-Live service over a real
 * WebSocket on 127.0.0.1 and a fake paced leg: the same rules as on the Realtime API (greeting,
 * reconnect with re-seeding, rollover, tools, end_call, DTMF), with the model in charge of
 * barge-in and billing by the second.
 */
@Timeout(40)
class LiveAgentIT {
    private final AgentHarness h = AgentHarness.live();

    @AfterEach
    void close() {
        h.close();
    }

    private void awaitStarted(int connection) {
        await().atMost(Duration.ofSeconds(15)).until(() -> h.live.sent("session.started").stream()
                .anyMatch(n -> n.path("_connection").asInt() == connection));
    }

    private List<ClientEventRecord> received(String type, int connection) {
        return h.live.received(type).stream()
                .filter(r -> r.connection() == connection)
                .toList();
    }

    private static boolean loud(short[] frame) {
        return EnergyVad.rms(frame) > 100;
    }

    @Test
    void greetsWithCommentaryOnlyAfterMediaIsUpAndTheLeadIn() {
        var spec = AgentHarness.liveSpec();
        var greeting = new Greeting();
        greeting.setInstructions("Greet the caller in one short sentence.");
        greeting.setLeadInMillis(300);
        spec.setGreeting(greeting);
        h.start(spec, AgentHarness.config());

        awaitStarted(1); // pre-warmed: the session runs before the call is accepted
        var start = h.live.received("session.start").get(0).json().path("session");
        assertThat(start.path("model").asText()).isEqualTo("gpt-live-1.1");
        assertThat(start.path("audio").path("format").path("rate").asInt()).isEqualTo(24_000);
        assertThat(start.path("audio").path("output").path("voice").asText()).isEqualTo("marin");
        assertThat(start.path("instructions").asText()).isEqualTo("You are the voicebridge test agent.");
        // tools only exist through Responses delegation: the backend model calls end_call
        assertThat(start.path("delegation").path("type").asText()).isEqualTo("responses");
        assertThat(start.path("delegation").path("responses").path("model").asText())
                .isEqualTo("gpt-5.4-mini");
        assertThat(start.path("delegation")
                        .path("responses")
                        .path("tools")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("end_call");
        // Connected but not accepted: a model that streams at real time into a two-frame queue
        // cannot have its greeting held, so it is not asked for yet.
        h.agent.mediaConnected();
        await().during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(2))
                .until(() -> h.live.received("session.commentary.append").isEmpty());

        long mediaUpAt = System.nanoTime();
        h.agent.mediaUp();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.live.received("session.commentary.append").size() == 1);
        var ask = h.live.received("session.commentary.append").get(0);
        assertThat(ask.json().path("delegation_id").isNull()).isTrue();
        assertThat(ask.json().path("content").asText()).endsWith("Greet the caller in one short sentence.");
        assertThat(Duration.ofNanos(ask.nanoTime() - mediaUpAt)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // the model's greeting (the fake's 660 Hz, 600 ms) reaches the caller as one item
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !h.leg.itemsSent().isEmpty()
                        && AudioAnalysis.toneFrames(
                                        h.leg.sentOf(h.leg.itemsSent().get(0)), 660)
                                >= 28);
        assertThat(h.leg.itemsSent()).hasSize(1);
    }

    @Test
    void answersTranscribesAndBillsSecondsNotTokens() {
        h.live.respondWith(ResponseAudio.tone(440, 400)).callerTranscript("I would like a table for two");
        h.start(AgentHarness.liveSpec(), AgentHarness.config());
        awaitStarted(1);
        h.agent.mediaUp();

        h.leg.say(tone(300, 0.25, 600));
        await().atMost(Duration.ofSeconds(6))
                .until(() -> h.snapshot().transcript().size() == 2);
        var lines = h.snapshot().transcript();
        assertThat(lines.get(0).getRole()).isEqualTo("caller");
        assertThat(lines.get(0).getText()).isEqualTo("I would like a table for two");
        assertThat(lines.get(1).getRole()).isEqualTo("agent");
        assertThat(lines.get(1).getText()).isEqualTo("tone 440 Hz 400 ms");
        String answer = h.leg.itemsSent().get(0);
        assertThat(answer).startsWith("live_");
        // The transcript can come before the answer's last frame has left the playout (a loaded
        // machine): wait for the frames, then hold them to the bounds.
        await().atMost(Duration.ofSeconds(3)).until(() -> h.leg.sentOf(answer).length / Pcm.FRAME_SAMPLES >= 20);
        assertThat(AudioAnalysis.toneFrames(h.leg.sentOf(answer), 440)).isBetween(19, 21);
        // silence between utterances is never queued: the answer item holds the answer only
        assertThat(h.leg.sentOf(answer).length / Pcm.FRAME_SAMPLES).isBetween(20, 21);

        await().atMost(Duration.ofSeconds(3)).until(() -> h.snapshot().usage().sessionSeconds() >= 1);
        var snap = h.snapshot();
        assertThat(snap.api()).isEqualTo("live");
        assertThat(snap.responses()).isEqualTo(1);
        assertThat(snap.lastLatencyMillis()).isBetween(0L, 2000L);
        var status = snap.toStatus();
        assertThat(status.getSessionSeconds()).isGreaterThanOrEqualTo(1.0);
        assertThat(status.getInputTokens()).isNull();
        assertThat(status.getOutputTokens()).isNull();
        assertThat(new BigDecimal(status.getEstimatedCostUsd())).isPositive();
    }

    @Test
    void theModelStopsByItselfAndTheCallerStopsHearingItWithinTwoFrames() {
        h.live.respondWith(ResponseAudio.tone(440, 4000));
        h.start(AgentHarness.liveSpec(), AgentHarness.config());
        awaitStarted(1);
        h.agent.mediaUp();

        h.leg.say(tone(300, 0.25, 500));
        await().atMost(Duration.ofSeconds(6))
                .until(() -> !h.leg.itemsSent().isEmpty()
                        && h.leg.sentOf(h.leg.itemsSent().get(0)).length >= Pcm.SAMPLE_RATE); // 1 s played
        String item = h.leg.itemsSent().get(0);
        h.leg.say(tone(300, 0.25, 400)); // the caller talks over the model
        await().atMost(Duration.ofSeconds(3)).until(() -> h.live.stops().size() == 1);
        var stop = h.live.stops().get(0);
        await().atMost(Duration.ofSeconds(2)).until(() -> h.snapshot().interruptions() == 1);

        long lastHeard = h.leg.sent().stream()
                .filter(s -> loud(s.pcm()))
                .filter(s -> item.equals(s.itemId()))
                .mapToLong(FakeCallLeg.Sent::nanoTime)
                .max()
                .orElseThrow();
        long afterStopMs = TimeUnit.NANOSECONDS.toMillis(lastHeard - stop.nanoTime());
        System.out.printf(
                "model-controlled barge-in: the model stopped after %d ms of its answer; the leg sent its last"
                        + " frame of it %d ms after the stop; %d ms trimmed from playout%n",
                stop.spokenMillis(), afterStopMs, h.agent.trimmedMillis());
        assertThat(afterStopMs)
                .as("ms the caller heard the model after it stopped")
                .isLessThanOrEqualTo(40);
        // we never cut the model off: nothing but audio went to the service after the start
        assertThat(h.live.received())
                .extracting(ClientEventRecord::type)
                .containsOnly("session.start", "session.input_audio.append");
        assertThat(h.leg.flushes()).isEmpty();
    }

    @Test
    void toolsRunThroughDelegationAndTheCostIsExact() {
        try (var tools = new ToolServer()) {
            var spec = AgentHarness.liveSpec();
            spec.getTools().add(tools.tool("get_weather", "/weather", 2000));
            h.live.afterToolSay(ResponseAudio.tone(550, 400)).respondWith(ResponseAudio.tone(440, 200));
            h.start(spec, AgentHarness.config());
            awaitStarted(1);
            h.agent.mediaUp();

            h.live.callFunctionOnNextUtterance("get_weather", "{\"city\":\"Paris\"}");
            h.leg.say(tone(300, 0.25, 500));
            await().atMost(Duration.ofSeconds(6))
                    .until(() -> h.live.received("response.create").size() == 1);
            assertThat(tools.bodies).containsExactly("{\"city\":\"Paris\"}");
            assertThat(h.live.toolOutputs()).singleElement().satisfies(o -> {
                assertThat(o.callId()).isEqualTo("call_1_1");
                assertThat(o.output()).isEqualTo("{\"city\":\"Paris\",\"tempC\":21}");
            });
            var all = h.live.received();
            assertThat(all.indexOf(h.live.received("response.create").get(0)))
                    .isGreaterThan(
                            all.indexOf(h.live.received("response.item.create").get(0)));
            // the model speaks the continuation
            await().atMost(Duration.ofSeconds(4)).until(() -> h.leg.itemsSent().stream()
                    .anyMatch(i -> AudioAnalysis.toneFrames(h.leg.sentOf(i), 550) >= 18));

            h.live.callFunctionOnNextUtterance("end_call", "{}");
            h.leg.say(tone(300, 0.25, 500));
            await().atMost(Duration.ofSeconds(8)).until(() -> h.ends.size() == 1);
            assertThat(h.ends.get(0).reason()).isEqualTo(EndReason.AgentHangup);
            // sent before the hang-up; the fake records it on its own thread
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> h.live.toolOutputs().size() == 2);
            assertThat(h.live.toolOutputs().getLast().output()).isEqualTo("{\"ok\":true}");
            // end_call's output gets no continuation: the call is ending
            assertThat(h.live.received("response.create")).hasSize(1);

            var snap = h.agent.finish().join();
            var closed = h.live.sent("session.closed");
            assertThat(closed)
                    .singleElement()
                    .satisfies(c -> assertThat(c.path("reason").asText()).isEqualTo("close_requested"));
            double seconds = closed.get(0).path("usage").path("seconds").asDouble();
            long in = 0, cached = 0, out = 0;
            for (var r : h.live.wrapped("response.completed")) {
                var u = r.path("event").path("response").path("usage");
                in += u.path("input_tokens").asLong();
                cached += u.path("input_tokens_details").path("cached_tokens").asLong();
                out += u.path("output_tokens").asLong();
            }
            ListPrice p = ModelApis.byName("live").orElseThrow().listPrice("gpt-live-1.1", null);
            double micro = seconds / 60 * p.activePerMinute() * 1_000_000
                    + (in - cached) * p.backendInput()
                    + cached * p.backendCachedInput()
                    + out * p.backendOutput();
            var expected = BigDecimal.valueOf(micro).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);
            System.out.printf(
                    "GPT-Live call: %.3f s of session, backend %d in (%d cached) / %d out tokens: %s USD%n",
                    seconds, in, cached, out, expected.toPlainString());
            // the weather call and its continuation, then the end_call call (no continuation)
            assertThat(in).isEqualTo(120 + 160 + 120);
            assertThat(snap.usage().sessionSeconds()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(snap.usage().backend().inputTokens()).isEqualTo(in);
            assertThat(snap.estimatedCostUsd()).isEqualByComparingTo(expected);
            var status = snap.toStatus();
            assertThat(status.getSessionSeconds()).isEqualTo(Math.round(seconds * 1000) / 1000.0);
            assertThat(status.getBackendInputTokens()).isEqualTo(in);
            assertThat(status.getBackendOutputTokens()).isEqualTo(out);
            assertThat(status.getEstimatedCostUsd()).isEqualTo(expected.toPlainString());
        }
    }

    @Test
    void aDroppedSocketReconnectsWithTheConversationAsStartupHistory() {
        h.live.respondWith(ResponseAudio.tone(440, 400)).callerTranscript("I would like a table for two");
        h.start(AgentHarness.liveSpec(), AgentHarness.config());
        awaitStarted(1);
        h.agent.mediaUp();
        h.leg.say(tone(300, 0.25, 600));
        await().atMost(Duration.ofSeconds(6))
                .until(() -> h.snapshot().transcript().size() == 2);

        h.live.dropConnections();
        awaitStarted(2);
        var start = received("session.start", 2).get(0).json().path("session");
        assertThat(start.path("instructions").asText())
                .startsWith("You are the voicebridge test agent.")
                .endsWith("This call is already in progress and continues on a new connection. Do not greet again.");
        var input = start.path("input");
        assertThat(input).hasSize(2);
        assertThat(input.get(0).path("role").asText()).isEqualTo("user");
        assertThat(input.get(0).path("content").get(0).path("text").asText()).isEqualTo("I would like a table for two");
        assertThat(input.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(input.get(1).path("content").get(0).path("type").asText()).isEqualTo("output_text");

        h.leg.say(tone(300, 0.25, 600));
        await().atMost(Duration.ofSeconds(8)).until(() -> h.leg.itemsSent().size() == 2);
        var snap = h.snapshot();
        assertThat(snap.reconnects()).isEqualTo(1);
        assertThat(snap.state()).isEqualTo("Ready");
        assertThat(snap.sessionId()).isEqualTo("sess_live_2");
        assertThat(h.ends).isEmpty();
    }

    @Test
    void rollsOverBeforeTheExpiryTheServiceNamed() {
        h.live.sessionLimit(Duration.ofSeconds(5));
        h.start(AgentHarness.liveSpec(), AgentHarness.config().with("rollover-before-expiry", "PT3S"));
        awaitStarted(1);
        h.agent.mediaUp();

        awaitStarted(2);
        await().atMost(Duration.ofSeconds(3)).until(() -> h.live.openConnections() == 1);
        // make before break: the first session was closed by us, not expired by the service
        assertThat(h.live.sent("session.closed"))
                .extracting(n ->
                        n.path("_connection").asInt() + " " + n.path("reason").asText())
                .containsExactly("1 close_requested");
        assertThat(h.snapshot().reconnects()).isEqualTo(1);
        assertThat(h.ends).isEmpty();
    }

    @Test
    void dtmfReachesTheModelAsAnAskToReply() {
        h.start(AgentHarness.liveSpec(), AgentHarness.config());
        awaitStarted(1);
        h.agent.mediaUp();
        h.agent.onDtmf('5');
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.live.received("session.commentary.append").size() == 1);
        assertThat(h.live.received("session.commentary.append")
                        .get(0)
                        .json()
                        .path("content")
                        .asText())
                .endsWith("The caller pressed the phone key 5.");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> h.snapshot().transcript().stream().anyMatch(l -> "[DTMF 5]".equals(l.getText())));
    }

    @Test
    void aRefusedKeyEndsTheCallWithAgentError() {
        h.start(AgentHarness.liveSpec(), AgentHarness.config(), h.liveProvider("sk-wrong"));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.ends.size() == 1);
        assertThat(h.ends.get(0).reason()).isEqualTo(EndReason.AgentError);
        assertThat(h.ends.get(0).detail()).isEqualTo("live error invalid_api_key: Incorrect API key provided.");
        assertThat(Set.copyOf(
                        h.live.received().stream().map(ClientEventRecord::type).toList()))
                .isSubsetOf(Set.of("session.start"));
    }
}
