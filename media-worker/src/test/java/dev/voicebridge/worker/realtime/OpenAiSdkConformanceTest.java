package dev.voicebridge.worker.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.realtime.RealtimeClientEvent;
import com.openai.models.realtime.RealtimeSessionCreateRequest;
import com.openai.models.realtime.SessionUpdateEvent;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.InputTranscription;
import dev.voicebridge.api.v1alpha1.ToolType;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.model.SessionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our client events against the official SDK's GA model classes ({@code com.openai:openai-java-core}
 * 4.0.0, {@code com.openai.models.realtime}): each must deserialize into the right GA type, pass the
 * SDK's validation, and use no property the GA schema does not know.
 */
class OpenAiSdkConformanceTest {
    private final ClientEventWriter writer = new ClientEventWriter(new ObjectMapper());
    private final com.fasterxml.jackson.databind.json.JsonMapper sdk = ObjectMappers.jsonMapper();

    private static VoiceAgentSpec spec(TurnDetectionType type) {
        var spec = new VoiceAgentSpec();
        spec.setInstructions("Be brief.");
        spec.setSpeed(1.0);
        var td = new TurnDetection();
        td.setType(type);
        td.setSilenceDurationMillis(500);
        td.setEagerness("low");
        spec.setTurnDetection(td);
        var tr = new InputTranscription();
        tr.setModel("gpt-4o-mini-transcribe");
        tr.setLanguage("en");
        spec.setInputTranscription(tr);
        var endCall = new AgentTool();
        endCall.setName("end_call");
        endCall.setType(ToolType.builtin);
        endCall.setDescription("End the call");
        spec.setTools(List.of(endCall));
        return spec;
    }

    @Test
    void sessionUpdateIsAGaRealtimeSessionWithNoUnknownProperties() throws Exception {
        for (var type : List.of(TurnDetectionType.server_vad, TurnDetectionType.semantic_vad)) {
            String json =
                    writer.write(new ClientEvent.SessionUpdate(SessionConfig.from(SessionSpec.of(spec(type), null))));
            var event = sdk.readValue(json, SessionUpdateEvent.class).validate();
            assertThat(event._additionalProperties()).isEmpty();
            RealtimeSessionCreateRequest session =
                    event.session().asRealtimeSessionCreateRequest().validate();
            assertThat(session._additionalProperties()).isEmpty();
            var audio = session.audio().orElseThrow();
            assertThat(audio._additionalProperties()).isEmpty();
            var input = audio.input().orElseThrow();
            var output = audio.output().orElseThrow();
            assertThat(input._additionalProperties()).isEmpty();
            assertThat(output._additionalProperties()).isEmpty();
            var inFormat = input.format().orElseThrow().audioPcm().orElseThrow();
            assertThat(inFormat._additionalProperties()).isEmpty();
            assertThat(inFormat.rate().orElseThrow().toString()).isEqualTo("24000");
            assertThat(output.format().orElseThrow().isAudioPcm()).isTrue();
            assertThat(input.noiseReduction().orElseThrow()._additionalProperties())
                    .isEmpty();
            assertThat(input.transcription().orElseThrow()._additionalProperties())
                    .isEmpty();
            var td = input.turnDetection().orElseThrow();
            if (type == TurnDetectionType.server_vad) {
                assertThat(td.serverVad().orElseThrow()._additionalProperties()).isEmpty();
            } else {
                assertThat(td.semanticVad().orElseThrow()._additionalProperties())
                        .isEmpty();
            }
            var tool = session.tools().orElseThrow().get(0).function().orElseThrow();
            assertThat(tool._additionalProperties()).isEmpty();
            assertThat(tool.name()).contains("end_call");
        }
    }

    @Test
    void everyClientEventIsAKnownGaClientEvent() throws Exception {
        var events = List.of(
                new ClientEvent.AppendAudio(new short[480]),
                new ClientEvent.CreateResponse("Greet the caller"),
                new ClientEvent.CreateResponse(null),
                new ClientEvent.CancelResponse(),
                new ClientEvent.Truncate("item_1", 1500),
                new ClientEvent.FunctionCallOutput("call_1", "{\"ok\":true}"),
                new ClientEvent.UserText("The caller pressed the phone key 5."));
        for (var e : events) {
            var parsed =
                    sdk.readValue(writer.write(e), RealtimeClientEvent.class).validate();
            switch (e) {
                case ClientEvent.AppendAudio a ->
                    assertThat(parsed.asInputAudioBufferAppend()._additionalProperties())
                            .isEmpty();
                case ClientEvent.CreateResponse r ->
                    assertThat(parsed.asResponseCreate()._additionalProperties())
                            .isEmpty();
                case ClientEvent.CancelResponse c ->
                    assertThat(parsed.isResponseCancel()).isTrue();
                case ClientEvent.Truncate t -> {
                    var truncate = parsed.asConversationItemTruncate();
                    assertThat(truncate.audioEndMs()).isEqualTo(1500);
                    assertThat(truncate.contentIndex()).isZero();
                }
                case ClientEvent.FunctionCallOutput f ->
                    assertThat(parsed.asConversationItemCreate().item().isFunctionCallOutput())
                            .isTrue();
                case ClientEvent.UserText u ->
                    assertThat(parsed.asConversationItemCreate().item().isRealtimeConversationItemUserMessage())
                            .isTrue();
                case ClientEvent.SessionUpdate u -> throw new AssertionError("covered above");
            }
        }
    }
}
