package dev.voicebridge.worker.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LiveEventParserTest {
    private final LiveEventParser parser = new LiveEventParser(new ObjectMapper());

    @Test
    void liftsFunctionCallsAndBackendUsageOutOfWrappedResponsesEvents() {
        assertThat(parser.parse("{\"type\":\"response.event\",\"delegation_id\":\"d\",\"event\":{\"type\":"
                        + "\"response.created\",\"response\":{\"id\":\"r1\"}}}"))
                .isEqualTo(new LiveServerEvent.BackendResponseStarted("d", "r1"));
        // only the completed item carries name, call id and arguments together
        assertThat(
                        parser.parse(
                                "{\"type\":\"response.event\",\"delegation_id\":\"d\",\"event\":{\"type\":"
                                        + "\"response.output_item.added\",\"item\":{\"type\":\"function_call\",\"status\":\"in_progress\"}}}"))
                .isEqualTo(new LiveServerEvent.BackendEvent("d", "response.output_item.added"));
        assertThat(
                        parser.parse(
                                "{\"type\":\"response.event\",\"delegation_id\":null,\"event\":{\"type\":"
                                        + "\"response.output_item.done\",\"item\":{\"type\":\"function_call\",\"status\":\"incomplete\"}}}"))
                .isEqualTo(new LiveServerEvent.BackendEvent(null, "response.output_item.done"));
        assertThat(parser.parse("{\"type\":\"response.event\",\"delegation_id\":\"d\",\"event\":{\"type\":"
                        + "\"response.failed\",\"response\":{\"id\":\"r2\",\"error\":{\"message\":\"boom\"}}}}"))
                .isEqualTo(new LiveServerEvent.BackendResponseDone(
                        "d", "r2", "failed", LiveServerEvent.BackendUsage.ZERO, "boom"));
    }

    @Test
    void sessionEventsAndErrors() {
        assertThat(parser.parse("{\"type\":\"session.usage.updated\",\"usage\":{\"seconds\":4.25}}"))
                .isEqualTo(new LiveServerEvent.UsageUpdated(4.25, null));
        assertThat(parser.parse("{\"type\":\"session.thinking.appended\",\"start_ms\":10,\"end_ms\":10}"))
                .isEqualTo(new LiveServerEvent.ContextAppended("thinking", null, 10, 10));
        var fatal = (LiveServerEvent.ServerError) parser.parse("{\"type\":\"error\",\"client_event_id\":\"evt_3\","
                + "\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\",\"message\":\"m\"}}");
        assertThat(fatal.isFatal()).isTrue();
        assertThat(fatal.clientEventId()).isEqualTo("evt_3");
        var benign = (LiveServerEvent.ServerError) parser.parse("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"code\":\"function_call_outputs_required\",\"message\":\"m\"}}");
        assertThat(benign.isFatal()).isFalse();
    }

    @Test
    void toleratesUnknownEventsAndRejectsGarbage() {
        assertThat(parser.parse("{\"type\":\"transport.dtmf.received\",\"event\":\"5\"}"))
                .isEqualTo(new LiveServerEvent.Unknown("transport.dtmf.received"));
        assertThatThrownBy(() -> parser.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parser.parse("{\"no\":\"type\"}")).hasMessageContaining("without a type");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"session.output_audio.delta\",\"delta\":\"%%\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
