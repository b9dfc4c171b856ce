package dev.voicebridge.worker.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.InputTranscription;
import dev.voicebridge.api.v1alpha1.NoiseReduction;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.SessionSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact GA JSON our client sends (docs/agent.md, "Realtime API: GA protocol used"). */
class ClientEventWriterTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ClientEventWriter writer = new ClientEventWriter(json);

    private JsonNode write(ClientEvent e) throws Exception {
        return json.readTree(writer.write(e));
    }

    private static VoiceAgentSpec spec() {
        var spec = new VoiceAgentSpec();
        spec.setModel("gpt-realtime-2.1");
        spec.setVoice("marin");
        spec.setSpeed(1.1);
        spec.setInstructions("Be brief.");
        spec.setNoiseReduction(NoiseReduction.far_field);
        var td = new TurnDetection();
        td.setType(TurnDetectionType.server_vad);
        td.setThreshold(0.6);
        td.setPrefixPaddingMillis(300);
        td.setSilenceDurationMillis(450);
        spec.setTurnDetection(td);
        var tr = new InputTranscription();
        tr.setModel("gpt-4o-mini-transcribe");
        tr.setLanguage("en");
        spec.setInputTranscription(tr);
        var tool = new AgentTool();
        tool.setName("lookup_order");
        tool.setType(ToolType.http);
        tool.setDescription("Find an order");
        tool.setParameters(new ObjectMapper().createObjectNode().put("type", "object"));
        spec.setTools(new ArrayList<>(List.of(tool)));
        return spec;
    }

    @Test
    void sessionUpdateHasTheGaShape() throws Exception {
        var n = write(new ClientEvent.SessionUpdate(SessionConfig.from(SessionSpec.of(spec(), null))));
        assertThat(n.path("type").asText()).isEqualTo("session.update");
        var s = n.path("session");
        assertThat(s.path("type").asText()).isEqualTo("realtime");
        assertThat(s.path("model").asText()).isEqualTo("gpt-realtime-2.1");
        assertThat(s.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(s.path("output_modalities").toString()).isEqualTo("[\"audio\"]");
        var in = s.path("audio").path("input");
        assertThat(in.path("format").toString()).isEqualTo("{\"type\":\"audio/pcm\",\"rate\":24000}");
        assertThat(in.path("noise_reduction").toString()).isEqualTo("{\"type\":\"far_field\"}");
        assertThat(in.path("transcription").toString())
                .isEqualTo("{\"model\":\"gpt-4o-mini-transcribe\",\"language\":\"en\"}");
        assertThat(in.path("turn_detection").toString())
                .isEqualTo("{\"type\":\"server_vad\",\"threshold\":0.6,\"prefix_padding_ms\":300,"
                        + "\"silence_duration_ms\":450,\"create_response\":true,\"interrupt_response\":true}");
        var out = s.path("audio").path("output");
        assertThat(out.path("format").toString()).isEqualTo("{\"type\":\"audio/pcm\",\"rate\":24000}");
        assertThat(out.path("voice").asText()).isEqualTo("marin");
        assertThat(out.path("speed").asDouble()).isEqualTo(1.1);
        assertThat(s.path("tools").toString())
                .isEqualTo("[{\"type\":\"function\",\"name\":\"lookup_order\",\"description\":\"Find an order\","
                        + "\"parameters\":{\"type\":\"object\"}}]");
        // Nothing of the removed beta shape.
        for (var beta : List.of(
                "modalities",
                "input_audio_format",
                "output_audio_format",
                "temperature",
                "voice",
                "turn_detection",
                "input_audio_transcription")) {
            assertThat(s.has(beta)).as(beta).isFalse();
        }
        assertThat(n.toString()).doesNotContain("pcm16");
    }

    @Test
    void overWebRtcTheSessionNamesNoAudioFormatAndCarriesTheRest() throws Exception {
        var pcm = write(new ClientEvent.SessionUpdate(SessionConfig.from(SessionSpec.of(spec(), null))))
                .path("session");
        var n = write(new ClientEvent.SessionUpdate(
                        SessionConfig.from(SessionSpec.of(spec(), null)).overWebRtc()))
                .path("session");
        assertThat(n.path("audio").path("input").has("format")).isFalse();
        assertThat(n.path("audio").path("output").has("format")).isFalse();
        // everything else as over the WebSocket
        ((ObjectNode) pcm.path("audio").path("input")).remove("format");
        ((ObjectNode) pcm.path("audio").path("output")).remove("format");
        assertThat(n).isEqualTo(pcm);
        assertThat(RealtimeProvider.sessionJson(SessionSpec.of(spec(), null), new ObjectMapper()))
                .isEqualTo(n.toString());
    }

    @Test
    void aSidebandThatReconnectsRejoinsTheCallsSessionWithoutSeedingItAgain() {
        var continuing = SessionSpec.of(spec(), null)
                .continuing(List.of(new SessionSpec.Line(ModelEvent.Role.CALLER, "my order number is 42")));
        var overWebSocket = RealtimeProvider.config(continuing, false);
        assertThat(overWebSocket.instructions()).contains("Do not greet again").contains("my order number is 42");
        var overSideband = RealtimeProvider.config(continuing, true);
        assertThat(overSideband.instructions()).isEqualTo(continuing.instructions());
        assertThat(overSideband)
                .isEqualTo(SessionConfig.from(SessionSpec.of(spec(), null)).overWebRtc());
    }

    @Test
    void overridesAndDefaultsApply() throws Exception {
        var o = new AgentOverrides();
        o.setInstructions("Call-specific.");
        o.setVoice("cedar");
        o.setModel("gpt-realtime-2.1-mini");
        var n = write(new ClientEvent.SessionUpdate(SessionConfig.from(SessionSpec.of(spec(), o))))
                .path("session");
        assertThat(n.path("instructions").asText()).isEqualTo("Call-specific.");
        assertThat(n.path("model").asText()).isEqualTo("gpt-realtime-2.1-mini");
        assertThat(n.path("audio").path("output").path("voice").asText()).isEqualTo("cedar");

        var bare = write(new ClientEvent.SessionUpdate(SessionConfig.from(SessionSpec.of(new VoiceAgentSpec(), null))))
                .path("session");
        assertThat(bare.path("model").asText()).isEqualTo("gpt-realtime-2.1");
        assertThat(bare.path("audio").path("output").path("voice").asText()).isEqualTo("marin");
        assertThat(bare.path("audio").path("input").path("noise_reduction").toString())
                .isEqualTo("{\"type\":\"near_field\"}");
        assertThat(bare.path("audio")
                        .path("input")
                        .path("turn_detection")
                        .path("type")
                        .asText())
                .isEqualTo("server_vad");
        assertThat(bare.path("audio").path("input").path("transcription").isNull())
                .isTrue();

        var manual = new VoiceAgentSpec();
        var td = new TurnDetection();
        td.setType(TurnDetectionType.none);
        manual.setTurnDetection(td);
        assertThat(write(new ClientEvent.SessionUpdate(SessionConfig.from(SessionSpec.of(manual, null))))
                        .path("session")
                        .path("audio")
                        .path("input")
                        .path("turn_detection")
                        .isNull())
                .isTrue();
    }

    @Test
    void audioTruncateToolOutputAndResponseEvents() throws Exception {
        var frame = new short[480];
        frame[0] = 0x0102;
        frame[479] = -2;
        var append = write(new ClientEvent.AppendAudio(frame));
        assertThat(append.path("type").asText()).isEqualTo("input_audio_buffer.append");
        byte[] bytes = Base64.getDecoder().decode(append.path("audio").asText());
        assertThat(bytes).hasSize(960); // 20 ms of 24 kHz PCM16
        assertThat(bytes[0]).isEqualTo((byte) 0x02); // little-endian
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(bytes[959]).isEqualTo((byte) 0xFF);

        assertThat(writer.write(new ClientEvent.Truncate("item_9", 1234)))
                .isEqualTo("{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_9\",\"content_index\":0,"
                        + "\"audio_end_ms\":1234}");
        assertThat(writer.write(new ClientEvent.FunctionCallOutput("call_1", "{\"ok\":true}")))
                .isEqualTo("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"function_call_output\","
                        + "\"call_id\":\"call_1\",\"output\":\"{\\\"ok\\\":true}\"}}");
        assertThat(writer.write(new ClientEvent.CreateResponse(null))).isEqualTo("{\"type\":\"response.create\"}");
        assertThat(writer.write(new ClientEvent.CreateResponse("Greet")))
                .isEqualTo("{\"type\":\"response.create\",\"response\":{\"instructions\":\"Greet\"}}");
        assertThat(writer.write(new ClientEvent.CancelResponse())).isEqualTo("{\"type\":\"response.cancel\"}");
        assertThat(writer.write(new ClientEvent.UserText("key 5")))
                .isEqualTo("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"key 5\"}]}}");
    }
}
