package dev.voicebridge.testkit.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.testkit.ws.WsProbe;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake realtime server, probed with the JDK's own WebSocket client over 127.0.0.1. */
@Timeout(20)
class FakeRealtimeServerIT {
    private static final String TOKEN = "sk-fake";
    private static final String GA_SESSION = """
            {"type":"session.update","session":{"type":"realtime","instructions":"hi",
             "output_modalities":["audio"],
             "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},
                               "turn_detection":{"type":"server_vad","silence_duration_ms":200}},
                      "output":{"format":{"type":"audio/pcm","rate":24000},"voice":"marin"}}}}""";

    private final FakeRealtimeServer server = FakeRealtimeServer.start(TOKEN);

    @AfterEach
    void stop() {
        server.close();
    }

    private WsProbe connect() throws Exception {
        var p = new WsProbe(java.net.URI.create(server.baseUri() + "?model=gpt-realtime"), TOKEN, null);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !p.events("session.created").isEmpty());
        return p;
    }

    @Test
    void everythingSentBeforeTheClientsCloseIsHandled() throws Exception {
        try (var p = connect()) {
            p.send(GA_SESSION);
            for (int i = 0; i < 200; i++) {
                p.sendAudio("input_audio_buffer.append", new short[480]);
            }
            p.ws.sendClose(1000, "call over").join(); // right behind the last append
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.received("input_audio_buffer.append").size() == 200);
            assertThat(server.received("session.update")).hasSize(1);
        }
    }

    @Test
    void sessionCreatedThenUpdatedForAGaSession() throws Exception {
        try (var p = connect()) {
            assertThat(p.events().get(0).path("type").asText()).isEqualTo("session.created");
            assertThat(p.events().get(0).path("session").path("model").asText()).isEqualTo("gpt-realtime");
            p.send(GA_SESSION);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> !p.events("session.updated").isEmpty());
            assertThat(p.events("error")).isEmpty();
            assertThat(server.received("session.update")).hasSize(1);
        }
    }

    @Test
    void rejectsBetaShapedSessionsWithTheServiceErrors() throws Exception {
        try (var p = connect()) {
            p.send("{\"type\":\"session.update\",\"session\":{\"modalities\":[\"audio\",\"text\"],"
                    + "\"input_audio_format\":\"pcm16\"}}");
            p.send("{\"type\":\"session.update\",\"session\":{\"instructions\":\"x\"}}");
            p.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                    + "\"audio\":{\"input\":{\"format\":{\"type\":\"pcm16\"}}}}}");
            await().atMost(Duration.ofSeconds(3)).until(() -> p.events("error").size() == 3);
            var errors = p.events("error");
            assertThat(errors.get(0).path("error").path("code").asText()).isEqualTo("unknown_parameter");
            assertThat(errors.get(0).path("error").path("message").asText())
                    .isEqualTo("Unknown parameter: 'session.modalities'.");
            assertThat(errors.get(1).path("error").path("code").asText()).isEqualTo("missing_required_parameter");
            assertThat(errors.get(1).path("error").path("param").asText()).isEqualTo("session.type");
            assertThat(errors.get(2).path("error").path("code").asText()).isEqualTo("invalid_value");
            assertThat(p.events("session.updated")).isEmpty();
        }
    }

    @Test
    void refusesAWrongTokenAndTheBetaHeader() throws Exception {
        var uri = java.net.URI.create(server.baseUri() + "?model=gpt-realtime");
        try (var wrong = new WsProbe(uri, "sk-wrong", null);
                var beta = new WsProbe(uri, TOKEN, "realtime=v1")) {
            await().atMost(Duration.ofSeconds(3)).until(() -> wrong.closeCode == 1008 && beta.closeCode == 1008);
            assertThat(wrong.events("error").get(0).path("error").path("code").asText())
                    .isEqualTo("invalid_api_key");
            assertThat(beta.events("error").get(0).path("error").path("code").asText())
                    .isEqualTo("beta_api_removed");
            assertThat(wrong.events("session.created")).isEmpty();
            assertThat(server.rejectedHandshakes()).isEqualTo(2);
        }
    }

    @Test
    void hearsSpeechAnswersWithAToneAndRejectsATruncateBeyondIt() throws Exception {
        server.respondWith(ResponseAudio.tone(440, 500)).streaming(100, 20);
        try (var p = connect()) {
            p.send(GA_SESSION);
            var speech = ResponseAudio.render(ResponseAudio.tone(300, 400));
            for (int off = 0; off < speech.length; off += 480) {
                p.append(java.util.Arrays.copyOfRange(speech, off, off + 480));
            }
            for (int i = 0; i < 15; i++) {
                p.append(new short[480]);
            }
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> !p.events("response.done").isEmpty());
            assertThat(p.events("input_audio_buffer.speech_started")).hasSize(1);
            assertThat(p.events("input_audio_buffer.speech_stopped")).hasSize(1);
            var deltas = p.events("response.output_audio.delta");
            int samples = deltas.stream()
                    .mapToInt(d ->
                            java.util.Base64.getDecoder().decode(d.path("delta").asText()).length / 2)
                    .sum();
            assertThat(samples).isEqualTo(24_000 / 2);
            var done = p.events("response.done").get(0).path("response");
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.path("usage")
                            .path("output_token_details")
                            .path("audio_tokens")
                            .asLong())
                    .isEqualTo(10);

            String item = deltas.get(0).path("item_id").asText();
            p.send("{\"type\":\"conversation.item.truncate\",\"item_id\":\"" + item
                    + "\",\"content_index\":0,\"audio_end_ms\":700}");
            p.send("{\"type\":\"conversation.item.truncate\",\"item_id\":\"" + item
                    + "\",\"content_index\":0,\"audio_end_ms\":300}");
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> !p.events("conversation.item.truncated").isEmpty());
            var error = p.events("error").get(0).path("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_value");
            assertThat(error.path("param").asText()).isEqualTo("audio_end_ms");
            assertThat(p.events("conversation.item.truncated")
                            .get(0)
                            .path("audio_end_ms")
                            .asLong())
                    .isEqualTo(300);
        }
    }

    @Test
    void manySessionsStreamTheirAnswersWithoutAThreadEach() throws Exception {
        server.respondWith(ResponseAudio.tone(440, 500)).streaming(100, 20);
        var probes = new java.util.ArrayList<WsProbe>();
        try {
            for (int i = 0; i < 12; i++) {
                var p = connect();
                p.send(GA_SESSION);
                probes.add(p);
            }
            for (var p : probes) {
                p.send("{\"type\":\"response.create\"}");
            }
            // While all twelve stream: no platform thread per session (a capacity test holds hundreds).
            long platform = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("fake-realtime"))
                    .count();
            assertThat(platform).isLessThanOrEqualTo(1);
            for (var p : probes) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> !p.events("response.done").isEmpty());
                var deltas = p.events("response.output_audio.delta");
                var pcm = new java.io.ByteArrayOutputStream();
                for (var d : deltas) {
                    pcm.writeBytes(
                            java.util.Base64.getDecoder().decode(d.path("delta").asText()));
                }
                // Every session hears the whole tone, the same samples, in 100 ms deltas.
                assertThat(deltas).hasSize(5);
                var expected = java.nio.ByteBuffer.allocate(24_000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                expected.asShortBuffer().put(ResponseAudio.render(ResponseAudio.tone(440, 500)));
                assertThat(pcm.toByteArray()).isEqualTo(expected.array());
                assertThat(p.events("response.done")
                                .get(0)
                                .path("response")
                                .path("status")
                                .asText())
                        .isEqualTo("completed");
            }
        } finally {
            probes.forEach(WsProbe::close);
        }
    }

    @Test
    void cancelWithoutAResponseIsTheBenignError() throws Exception {
        try (var p = connect()) {
            p.send("{\"type\":\"response.cancel\"}");
            await().atMost(Duration.ofSeconds(3)).until(() -> !p.events("error").isEmpty());
            assertThat(p.events("error").get(0).path("error").path("code").asText())
                    .isEqualTo("response_cancel_not_active");
        }
    }

    @Test
    void dropsConnectionsOnCommand() throws Exception {
        try (var p = connect()) {
            server.dropConnections();
            await().atMost(Duration.ofSeconds(3)).until(() -> p.closeCode == 1011);
        }
    }
}
