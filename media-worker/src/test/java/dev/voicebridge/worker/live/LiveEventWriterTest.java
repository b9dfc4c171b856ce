package dev.voicebridge.worker.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveEventWriterTest {
    private final ObjectMapper json = new ObjectMapper();
    private final LiveEventWriter writer = new LiveEventWriter(json);

    @Test
    void sessionStartCarriesModelFormatVoiceAndDelegationAndOmitsWhatIsUnset() throws Exception {
        var out = json.readTree(writer.write(
                new LiveClientEvent.Start(new LiveSessionConfig("gpt-live-1", "Be brief.", "cedar", null, null)),
                "evt_1"));
        assertThat(out.toString())
                .isEqualTo(
                        "{\"type\":\"session.start\",\"session\":{\"model\":\"gpt-live-1\",\"instructions\":\"Be brief.\","
                                + "\"audio\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"output\":{\"voice\":\"cedar\"}},"
                                + "\"delegation\":{\"type\":\"client\"}},\"event_id\":\"evt_1\"}");
        var bare = json.readTree(writer.write(
                new LiveClientEvent.Start(new LiveSessionConfig("gpt-live-1", " ", null, null, List.of())), null));
        assertThat(bare.path("session").has("instructions")).isFalse();
        assertThat(bare.path("session").path("audio").has("output")).isFalse();
        assertThat(bare.path("session").has("input")).isFalse();
        assertThat(bare.has("event_id")).isFalse();
    }

    @Test
    void appendsKeepANullDelegationIdBecauseTheFieldIsRequired() throws Exception {
        var out = json.readTree(writer.write(new LiveClientEvent.AppendCommentary(null, "Greet the caller."), "evt_2"));
        assertThat(out.has("delegation_id")).isTrue();
        assertThat(out.get("delegation_id").isNull()).isTrue();
        assertThat(out.path("type").asText()).isEqualTo("session.commentary.append");
        assertThat(json.readTree(writer.write(new LiveClientEvent.AppendThinking("dlg_9", "x"), null))
                        .path("delegation_id")
                        .asText())
                .isEqualTo("dlg_9");
    }

    @Test
    void audioIsLittleEndianBase64AndToolResultsAreResponsesItems() throws Exception {
        var audio = json.readTree(writer.write(new LiveClientEvent.AppendAudio(new short[] {0x0201, -2}), null));
        assertThat(audio.toString()).isEqualTo("{\"type\":\"session.input_audio.append\",\"audio\":\"AQL+/w==\"}");
        var output =
                json.readTree(writer.write(new LiveClientEvent.FunctionCallOutput("call_1", "{\"ok\":true}"), null));
        assertThat(output.toString())
                .isEqualTo("{\"type\":\"response.item.create\",\"item\":{\"type\":\"function_call_output\","
                        + "\"call_id\":\"call_1\",\"output\":\"{\\\"ok\\\":true}\"}}");
        assertThat(writer.write(new LiveClientEvent.ContinueResponse(), null))
                .isEqualTo("{\"type\":\"response.create\"}");
        assertThat(writer.write(new LiveClientEvent.Close(), null)).isEqualTo("{\"type\":\"session.close\"}");
    }

    @Test
    void configurationRefusesWhatTheServiceWouldRefuse() {
        assertThatThrownBy(() -> new LiveClientConfig(
                        URI.create("wss://h/v1/live/sessions?model=gpt-live-1"), "k", null, null, null, 0))
                .hasMessageContaining("no query parameters");
        assertThatThrownBy(() -> LiveClientConfig.of(" ")).hasMessageContaining("API key");
        assertThat(LiveClientConfig.of("sk-secret").toString()).doesNotContain("sk-secret");
        var tooLong = Collections.nCopies(
                129, new LiveSessionConfig.HistoryMessage(LiveSessionConfig.HistoryMessage.Role.USER, "x"));
        assertThatThrownBy(() -> new LiveSessionConfig("gpt-live-1", null, null, null, tooLong))
                .hasMessageContaining("at most 128");
    }
}
