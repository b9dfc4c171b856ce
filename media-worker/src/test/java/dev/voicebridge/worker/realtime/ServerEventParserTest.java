package dev.voicebridge.worker.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.worker.model.TokenUsage;
import org.junit.jupiter.api.Test;

class ServerEventParserTest {
    private final ServerEventParser parser = new ServerEventParser(new ObjectMapper());

    @Test
    void parsesTheGaEventsTheAgentUses() {
        assertThat(parser.parse(
                        "{\"type\":\"session.created\",\"session\":{\"id\":\"sess_1\",\"model\":\"gpt-realtime\"}}"))
                .isEqualTo(new RealtimeEvent.SessionCreated("sess_1", "gpt-realtime"));
        assertThat(parser.parse("{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":1200,"
                        + "\"item_id\":\"item_a\"}"))
                .isEqualTo(new RealtimeEvent.SpeechStarted("item_a", 1200));
        var delta = (RealtimeEvent.OutputAudioDelta) parser.parse("{\"type\":\"response.output_audio.delta\","
                + "\"response_id\":\"r\",\"item_id\":\"i\",\"delta\":\"AQL+/w==\"}");
        assertThat(delta.pcm()).containsExactly((short) 0x0201, (short) -2);
        assertThat(parser.parse("{\"type\":\"response.function_call_arguments.done\",\"response_id\":\"r\","
                        + "\"item_id\":\"i\",\"call_id\":\"c\",\"name\":\"end_call\",\"arguments\":\"{}\"}"))
                .isEqualTo(new RealtimeEvent.FunctionCall("r", "i", "c", "end_call", "{}"));
        var error = (RealtimeEvent.ServerError) parser.parse("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"code\":\"response_cancel_not_active\",\"message\":\"m\"}}");
        assertThat(error.isBenign()).isTrue();
    }

    @Test
    void readsUsageDetails() {
        var done = (RealtimeEvent.ResponseDone) parser.parse("""
                {"type":"response.done","response":{"id":"r1","status":"cancelled","usage":{
                 "total_tokens":300,"input_tokens":200,"output_tokens":100,
                 "input_token_details":{"text_tokens":50,"audio_tokens":150,"cached_tokens":40,
                   "cached_tokens_details":{"text_tokens":30,"audio_tokens":10}},
                 "output_token_details":{"text_tokens":20,"audio_tokens":80}}}}""");
        assertThat(done.status()).isEqualTo("cancelled");
        assertThat(done.usage()).isEqualTo(new TokenUsage(200, 100, 50, 150, 40, 30, 10, 20, 80));
    }

    @Test
    void toleratesUnknownEventsAndRejectsGarbage() {
        assertThat(parser.parse("{\"type\":\"rate_limits.updated\",\"rate_limits\":[]}"))
                .isEqualTo(new RealtimeEvent.Unknown("rate_limits.updated"));
        assertThat(parser.parse("{\"type\":\"some.future.event\",\"x\":{\"y\":1}}"))
                .isEqualTo(new RealtimeEvent.Unknown("some.future.event"));
        assertThatThrownBy(() -> parser.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parser.parse("{\"no\":\"type\"}")).hasMessageContaining("without a type");
    }
}
