package dev.voicebridge.testkit.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.testkit.ws.WsProbe;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake GPT-Live service, probed with the JDK's own WebSocket client over 127.0.0.1. */
@Timeout(30)
class FakeLiveServerIT {
    private static final String TOKEN = "sk-live";
    private static final String START = """
            {"type":"session.start","event_id":"evt_start","session":{"model":"gpt-live-1",
             "instructions":"Be brief.","audio":{"format":{"type":"audio/pcm","rate":24000},
             "output":{"voice":"marin"}},"delegation":{"type":"client"}}}""";
    private static final String START_RESPONSES = """
            {"type":"session.start","session":{"model":"gpt-live-1.1",
             "delegation":{"type":"responses","responses":{"model":"gpt-5.6-luna",
               "tools":[{"type":"function","name":"end_call","description":"Hang up",
                         "parameters":{"type":"object","properties":{}}}]}}}}""";

    private final FakeLiveServer server = FakeLiveServer.start(TOKEN);

    @AfterEach
    void stop() {
        server.close();
    }

    private WsProbe started(String start) throws Exception {
        var p = new WsProbe(server.uri(), TOKEN, null);
        p.send(start);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !p.events("session.started").isEmpty());
        return p;
    }

    /** Caller speech at the energy the fake hears, then enough silence to end the utterance. */
    private static void utter(WsProbe p, short[] speech, int silenceFrames) {
        var all = Arrays.copyOf(speech, speech.length + silenceFrames * 480);
        for (int off = 0; off + 480 <= all.length; off += 480) {
            p.sendAudio("session.input_audio.append", Arrays.copyOfRange(all, off, off + 480));
        }
    }

    private static List<short[]> frames(WsProbe p) {
        var out = new ArrayList<short[]>();
        for (var e : p.events("session.output_audio.delta")) {
            var bytes = Base64.getDecoder().decode(e.path("delta").asText());
            var pcm = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer()
                    .get(pcm);
            out.add(pcm);
        }
        return out;
    }

    private static boolean loud(short[] frame) {
        return AudioAnalysis.rms(frame, 0, frame.length) > 0.01;
    }

    private static String text(List<JsonNode> deltas) {
        return deltas.stream().map(d -> d.path("delta").asText()).collect(Collectors.joining());
    }

    @Test
    void everythingSentBeforeTheClientsCloseIsHandled() throws Exception {
        try (var p = started(START)) {
            for (int i = 0; i < 200; i++) {
                p.sendAudio("session.input_audio.append", new short[480]);
            }
            p.ws.sendClose(1000, "call over").join(); // right behind the last append
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.received("session.input_audio.append").size() == 200);
        }
    }

    @Test
    void startsThenStreamsSilenceAtRealTimePace() throws Exception {
        try (var p = started(START)) {
            long t0 = System.nanoTime();
            var session = p.events("session.started").get(0);
            assertThat(session.path("client_event_id").asText()).isEqualTo("evt_start");
            assertThat(session.path("session").path("id").asText()).startsWith("sess_");
            assertThat(session.path("session")
                            .path("audio")
                            .path("output")
                            .path("voice")
                            .asText())
                    .isEqualTo("marin");
            int before = frames(p).size();
            await().atMost(Duration.ofSeconds(5)).until(() -> frames(p).size() >= before + 25);
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            var frames = frames(p);
            // real time, not faster: 25 more frames of 20 ms cannot arrive in much less than 500 ms
            assertThat(elapsedMs).isGreaterThanOrEqualTo((frames.size() - before - 2) * 20L);
            assertThat(frames).allSatisfy(f -> assertThat(f).hasSize(480).containsOnly((short) 0));
            assertThat(p.events("session.output_audio.delta").get(0).has("event_id"))
                    .isFalse();
            assertThat(server.upgrades().get(0).parameters()).isEmpty();
        }
    }

    @Test
    void refusesAWrongKeyAQueryAndARealtimeShapedSession() throws Exception {
        try (var wrong = new WsProbe(server.uri(), "sk-wrong", null);
                var query = new WsProbe(URI.create(server.uri() + "?model=gpt-live-1"), TOKEN, null);
                var p = new WsProbe(server.uri(), TOKEN, null)) {
            await().atMost(Duration.ofSeconds(3)).until(() -> wrong.closeCode == 1008 && query.closeCode == 1008);
            assertThat(wrong.events("error").get(0).path("error").path("code").asText())
                    .isEqualTo("invalid_api_key");
            assertThat(query.events("error").get(0).path("error").path("param").asText())
                    .isEqualTo("model");
            p.send("{\"type\":\"session.input_audio.append\",\"event_id\":\"a1\",\"audio\":\"AAAA\"}");
            p.send("{\"type\":\"session.start\",\"session\":{\"type\":\"realtime\",\"model\":\"gpt-live-1\"}}");
            p.send("{\"type\":\"session.start\",\"session\":{\"instructions\":\"x\"}}");
            p.send("{\"type\":\"session.start\",\"session\":{\"model\":\"gpt-realtime-2.1\"}}");
            await().atMost(Duration.ofSeconds(3)).until(() -> p.events("error").size() == 4);
            var errors = p.events("error").stream().map(e -> e.path("error")).toList();
            assertThat(errors.get(0).path("code").asText()).isEqualTo("session_not_started");
            assertThat(errors.get(0).path("client_event_id").asText()).isEqualTo("a1");
            assertThat(errors.get(1).path("code").asText()).isEqualTo("unknown_parameter");
            assertThat(errors.get(1).path("param").asText()).isEqualTo("session.type");
            assertThat(errors.get(2).path("code").asText()).isEqualTo("missing_required_parameter");
            assertThat(errors.get(2).path("param").asText()).isEqualTo("session.model");
            assertThat(errors.get(3).path("code").asText()).isEqualTo("invalid_value");
            assertThat(p.events("session.started")).isEmpty();
            assertThat(server.rejectedHandshakes()).isEqualTo(2);
        }
    }

    @Test
    void answersAnUtteranceAndFallsSilentByItselfWhenTheCallerSpeaksOver() throws Exception {
        server.respondWith(ResponseAudio.tone(440, 3000)).callerTranscript("one two three four");
        try (var p = started(START)) {
            utter(p, Signals.tone(300, 0.25, 600), 30);
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            frames(p).stream().filter(FakeLiveServerIT::loud).count() >= 20);
            assertThat(text(p.events("session.input_transcript.delta"))).isEqualTo("one two three four");
            var first = p.events("session.input_transcript.delta").get(0);
            assertThat(first.path("end_ms").asLong())
                    .isGreaterThan(first.path("start_ms").asLong());

            utter(p, Signals.tone(300, 0.25, 200), 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stops().size() == 1);
            var stop = server.stops().get(0);
            assertThat(stop.spokenMillis()).isBetween(400L, 2900L);
            // frame i of the stream covers session milliseconds [20 i, 20 i + 20)
            int firstSilent = (int) (stop.sessionMs() / 20);
            await().atMost(Duration.ofSeconds(3)).until(() -> frames(p).size() >= firstSilent + 15);
            var frames = frames(p);
            int lastLoud = -1;
            for (int i = 0; i < frames.size(); i++) {
                if (loud(frames.get(i))) {
                    lastLoud = i;
                }
            }
            // nothing of the model after the stop: the tail is silence, and the spoken part was 440 Hz
            assertThat(lastLoud).isEqualTo(firstSilent - 1);
            long spokenFrames = frames.stream().filter(FakeLiveServerIT::loud).count();
            assertThat(spokenFrames * 20).isEqualTo(stop.spokenMillis());
            var loudFrame =
                    frames.stream().filter(FakeLiveServerIT::loud).findFirst().orElseThrow();
            assertThat(AudioAnalysis.dominant(loudFrame, 0, 480, 24_000, 300, 440, 660)
                            .hz())
                    .isEqualTo(440);
            var said = text(p.events("session.output_transcript.delta"));
            assertThat("tone 440 Hz 3000 ms").startsWith(said).isNotEqualTo(said);
        }
    }

    @Test
    void speaksFirstWhenAskedWithCommentary() throws Exception {
        try (var p = started(START)) {
            p.send("{\"type\":\"session.commentary.append\",\"event_id\":\"c1\",\"delegation_id\":null,"
                    + "\"content\":\"Greet the caller.\"}");
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            frames(p).stream().filter(FakeLiveServerIT::loud).count() == 30
                                    && !p.events("session.output_transcript.delta")
                                            .isEmpty());
            var ack = p.events("session.commentary.appended").get(0);
            assertThat(ack.path("client_event_id").asText()).isEqualTo("c1");
            assertThat(text(p.events("session.output_transcript.delta"))).isEqualTo("tone 660 Hz 600 ms");
        }
    }

    @Test
    void delegatesAFunctionCallAndContinuesOnceTheResultIsIn() throws Exception {
        server.callFunctionOnNextUtterance("end_call", "{\"reason\":\"done\"}");
        try (var p = started(START_RESPONSES)) {
            utter(p, Signals.tone(300, 0.25, 400), 30);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !server.wrapped("response.completed").isEmpty());
            var delegation = server.sent("session.delegation.created").get(0).path("delegation");
            assertThat(delegation.path("target").asText()).isEqualTo("responses");
            var item = server.wrapped("response.output_item.done").get(0);
            assertThat(item.path("delegation_id").asText())
                    .isEqualTo(delegation.path("id").asText());
            var call = item.path("event").path("item");
            assertThat(call.path("type").asText()).isEqualTo("function_call");
            assertThat(call.path("status").asText()).isEqualTo("completed");
            assertThat(call.path("name").asText()).isEqualTo("end_call");
            assertThat(call.path("arguments").asText()).isEqualTo("{\"reason\":\"done\"}");

            p.send("{\"type\":\"response.create\"}");
            await().atMost(Duration.ofSeconds(3)).until(() -> !p.events("error").isEmpty());
            assertThat(p.events("error").get(0).path("error").path("code").asText())
                    .isEqualTo("function_call_outputs_required");

            p.send("{\"type\":\"response.item.create\",\"item\":{\"type\":\"function_call_output\",\"call_id\":\""
                    + call.path("call_id").asText() + "\",\"output\":\"{\\\"ok\\\":true}\"}}");
            p.send("{\"type\":\"response.create\"}");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.wrapped("response.completed").size() == 2
                            && frames(p).stream().anyMatch(FakeLiveServerIT::loud));
            assertThat(server.toolOutputs()).singleElement().satisfies(o -> {
                assertThat(o.callId()).isEqualTo(call.path("call_id").asText());
                assertThat(o.output()).isEqualTo("{\"ok\":true}");
            });
            var usage = server.wrapped("response.completed")
                    .get(1)
                    .path("event")
                    .path("response")
                    .path("usage");
            assertThat(usage.path("input_tokens_details").path("cached_tokens").asLong())
                    .isEqualTo(120);
            var loudFrame = frames(p).stream()
                    .filter(FakeLiveServerIT::loud)
                    .findFirst()
                    .orElseThrow();
            assertThat(AudioAnalysis.dominant(loudFrame, 0, 480, 24_000, 300, 440, 550)
                            .hz())
                    .isEqualTo(550);
        }
    }

    @Test
    void reportsCumulativeUsageAndClosesWithTheFinalUsage() throws Exception {
        server.usageEvery(Duration.ofMillis(100));
        try (var p = started(START)) {
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> p.events("session.usage.updated").size() >= 3);
            var usage = p.events("session.usage.updated");
            double first = usage.get(0).path("usage").path("seconds").asDouble();
            double third = usage.get(2).path("usage").path("seconds").asDouble();
            assertThat(third).isGreaterThan(first);
            p.send("{\"type\":\"session.close\",\"event_id\":\"bye\"}");
            await().atMost(Duration.ofSeconds(3)).until(() -> p.closeCode == 1000);
            var closed = p.events("session.closed").get(0);
            assertThat(closed.path("reason").asText()).isEqualTo("close_requested");
            assertThat(closed.path("usage").path("seconds").asDouble()).isGreaterThanOrEqualTo(third);
            assertThat(closed.path("session").path("id").asText()).startsWith("sess_");
        }
    }

    @Test
    void expiresDropsAndReportsScriptedErrors() throws Exception {
        try (var expiring = started(START)) {
            server.emitError("server_error", "server_error", "boom");
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> !expiring.events("error").isEmpty());
            server.expireSessions();
            await().atMost(Duration.ofSeconds(3)).until(() -> expiring.closeCode == 1000);
            assertThat(expiring.events("session.closed").get(0).path("reason").asText())
                    .isEqualTo("expired");
        }
        try (var dropped = started(START)) {
            server.dropConnections();
            await().atMost(Duration.ofSeconds(3)).until(() -> dropped.closeCode == 1011);
            assertThat(dropped.events("session.closed")).isEmpty();
        }
        server.sessionLimit(Duration.ofMillis(300));
        try (var limited = started(START)) {
            await().atMost(Duration.ofSeconds(3)).until(() -> limited.closeCode == 1000);
            assertThat(limited.events("session.closed").get(0).path("reason").asText())
                    .isEqualTo("expired");
        }
    }
}
