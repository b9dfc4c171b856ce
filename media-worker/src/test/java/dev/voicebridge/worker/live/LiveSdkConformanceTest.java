package dev.voicebridge.worker.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.live.ClientEvent;
import com.openai.models.live.ServerEvent;
import dev.voicebridge.worker.live.LiveSessionConfig.Delegation;
import dev.voicebridge.worker.live.LiveSessionConfig.FunctionTool;
import dev.voicebridge.worker.live.LiveSessionConfig.HistoryMessage;
import dev.voicebridge.worker.live.LiveSessionConfig.HistoryMessage.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our GPT-Live JSON against the official SDK's generated Live types ({@code com.openai:openai-java-core}
 * 4.105.0, {@code com.openai.models.live}): every client event we write deserialises into the right
 * {@link ClientEvent} variant, validates and carries no property the schema does not know; every
 * server event we parse validates as a {@link ServerEvent}, and our parser reads the same values
 * as the SDK's accessors.
 */
class LiveSdkConformanceTest {
    private final ObjectMapper json = new ObjectMapper();
    private final LiveEventWriter writer = new LiveEventWriter(json);
    private final LiveEventParser parser = new LiveEventParser(json);
    private final com.fasterxml.jackson.databind.json.JsonMapper sdk = ObjectMappers.jsonMapper();

    private ClientEvent sdkClient(LiveClientEvent e) throws Exception {
        return sdk.readValue(writer.write(e, "evt_1"), ClientEvent.class).validate();
    }

    @Test
    void sessionStartWithResponsesDelegationToolsAndHistoryIsAStrictSdkSessionConfig() throws Exception {
        var params = json.readTree("{\"type\":\"object\",\"properties\":{\"reason\":{\"type\":\"string\"}}}");
        var config = new LiveSessionConfig(
                "gpt-live-1",
                "Be brief.",
                "marin",
                new Delegation.Responses(
                        "gpt-5.6-luna",
                        "Run tools when asked.",
                        List.of(new FunctionTool("end_call", "Hang up", params), new FunctionTool("ping", null, null)),
                        "auto"),
                List.of(
                        new HistoryMessage(Role.DEVELOPER, "The call is already in progress."),
                        new HistoryMessage(Role.USER, "I want a table for two."),
                        new HistoryMessage(Role.ASSISTANT, "For what time?")));
        var event = sdkClient(new LiveClientEvent.Start(config)).asSessionStart();
        assertThat(event._additionalProperties()).isEmpty();
        assertThat(event.eventId()).contains("evt_1");
        var session = event.session();
        assertThat(session._additionalProperties()).isEmpty();
        assertThat(session.model().asString()).isEqualTo("gpt-live-1");
        assertThat(session.instructions()).contains("Be brief.");
        var audio = session.audio().orElseThrow();
        assertThat(audio._additionalProperties()).isEmpty();
        var pcm = audio.format().orElseThrow().audioPcm().orElseThrow();
        assertThat(pcm._additionalProperties()).isEmpty();
        assertThat(pcm.rate().toString()).isEqualTo("24000");
        assertThat(audio.output().orElseThrow().voice().orElseThrow().toString())
                .contains("marin");
        var responses = session.delegation().orElseThrow().asResponses();
        assertThat(responses._additionalProperties()).isEmpty();
        var backend = responses.responses();
        assertThat(backend._additionalProperties()).isEmpty();
        assertThat(backend.model()).isEqualTo("gpt-5.6-luna");
        var tools = backend.tools().orElseThrow();
        assertThat(tools).hasSize(2);
        for (var tool : tools) {
            assertThat(tool.asFunction()._additionalProperties()).isEmpty();
        }
        assertThat(tools.get(0).asFunction().name()).isEqualTo("end_call");
        var input = session.input().orElseThrow();
        assertThat(input.get(0).isDeveloper()).isTrue();
        assertThat(input.get(1).isUser()).isTrue();
        assertThat(input.get(2).isAssistant()).isTrue();
        assertThat(input.get(0).asDeveloper()._additionalProperties()).isEmpty();
        assertThat(input.get(2).asAssistant()._additionalProperties()).isEmpty();
    }

    @Test
    void sessionStartWithClientDelegationAndDefaults() throws Exception {
        var event = sdkClient(new LiveClientEvent.Start(new LiveSessionConfig("gpt-live-1.1", null, null, null, null)))
                .asSessionStart();
        var session = event.session();
        assertThat(session._additionalProperties()).isEmpty();
        assertThat(session.model().toString()).isEqualTo("gpt-live-1.1");
        assertThat(session.delegation().orElseThrow().isClient()).isTrue();
        assertThat(session.instructions()).isEmpty();
        assertThat(session.input()).isEmpty();
    }

    @Test
    void everyOtherClientEventIsItsSdkVariant() throws Exception {
        var events = List.<LiveClientEvent>of(
                new LiveClientEvent.AppendAudio(new short[480]),
                new LiveClientEvent.AppendInstructions(null, "Speak slowly."),
                new LiveClientEvent.AppendThinking("dlg_1", "The table is booked."),
                new LiveClientEvent.AppendCommentary(null, "Greet the caller."),
                new LiveClientEvent.FunctionCallOutput("call_1", "{\"ok\":true}"),
                new LiveClientEvent.ContinueResponse(),
                new LiveClientEvent.MuteInput(true),
                new LiveClientEvent.MuteInput(false),
                new LiveClientEvent.Close());
        for (var e : events) {
            var parsed = sdkClient(e);
            switch (e) {
                case LiveClientEvent.AppendAudio a -> {
                    var append = parsed.asSessionInputAudioAppend();
                    assertThat(append._additionalProperties()).isEmpty();
                    assertThat(append.audio()).hasSize(1280);
                }
                case LiveClientEvent.AppendInstructions a -> {
                    var append = parsed.asSessionInstructionsAppend();
                    assertThat(append._additionalProperties()).isEmpty();
                    assertThat(append.delegationId()).isEmpty();
                    assertThat(append._delegationId().isNull()).isTrue();
                }
                case LiveClientEvent.AppendThinking a ->
                    assertThat(parsed.asSessionThinkingAppend().delegationId()).contains("dlg_1");
                case LiveClientEvent.AppendCommentary a ->
                    assertThat(parsed.asSessionCommentaryAppend().content()).isEqualTo("Greet the caller.");
                case LiveClientEvent.FunctionCallOutput f -> {
                    var item = parsed.asResponseItemCreate().item();
                    assertThat(item.isFunctionCallOutput()).isTrue();
                    assertThat(item.asFunctionCallOutput().callId()).contains("call_1");
                    assertThat(item.asFunctionCallOutput()._additionalProperties())
                            .isEmpty();
                }
                case LiveClientEvent.ContinueResponse c ->
                    assertThat(parsed.asResponseCreate()._additionalProperties())
                            .isEmpty();
                case LiveClientEvent.MuteInput m ->
                    assertThat(m.muted() ? parsed.isSessionInputAudioMute() : parsed.isSessionInputAudioUnmute())
                            .isTrue();
                case LiveClientEvent.Close c ->
                    assertThat(parsed.isSessionClose()).isTrue();
                case LiveClientEvent.Start s -> throw new AssertionError("covered above");
            }
        }
    }

    private ServerEvent sdkServer(String text) throws Exception {
        return sdk.readValue(text, ServerEvent.class).validate();
    }

    @Test
    void ourParserReadsWhatTheSdkReadsForEveryServerEventWeUse() throws Exception {
        String started = """
                {"type":"session.started","event_id":"e1","client_event_id":"evt_1","session":{"id":"sess_1",
                 "expires_at":1900000000,"status":"active","model":"gpt-live-1","instructions":"Be brief.",
                 "audio":{"format":{"type":"audio/pcm","rate":24000},"output":{"voice":"marin"}},
                 "delegation":{"type":"client"}}}""";
        var sdkStarted = sdkServer(started).asSessionStarted();
        assertThat(parser.parse(started))
                .isEqualTo(new LiveServerEvent.SessionStarted(
                        sdkStarted.session().id(),
                        "gpt-live-1",
                        "marin",
                        sdkStarted.session().expiresAt()));

        String audio = "{\"type\":\"session.output_audio.delta\",\"delta\":\"AQL+/w==\"}";
        assertThat(sdkServer(audio).asSessionOutputAudioDelta().delta()).isEqualTo("AQL+/w==");
        assertThat(((LiveServerEvent.OutputAudio) parser.parse(audio)).pcm())
                .containsExactly((short) 0x0201, (short) -2);

        for (var kind : List.of("input", "output")) {
            String t = "{\"type\":\"session." + kind + "_transcript.delta\",\"event_id\":\"e2\",\"delta\":\" two\","
                    + "\"start_ms\":1200,\"end_ms\":1400}";
            var s = sdkServer(t);
            long start = kind.equals("input")
                    ? s.asSessionInputTranscriptDelta().startMs()
                    : s.asSessionOutputTranscriptDelta().startMs();
            assertThat(parser.parse(t))
                    .isEqualTo(
                            kind.equals("input")
                                    ? new LiveServerEvent.InputTranscript(" two", start, 1400)
                                    : new LiveServerEvent.OutputTranscript(" two", start, 1400));
        }

        String appended = "{\"type\":\"session.commentary.appended\",\"event_id\":\"e3\",\"client_event_id\":\"evt_4\","
                + "\"start_ms\":500,\"end_ms\":500}";
        assertThat(sdkServer(appended).asSessionCommentaryAppended().clientEventId())
                .contains("evt_4");
        assertThat(parser.parse(appended))
                .isEqualTo(new LiveServerEvent.ContextAppended("commentary", "evt_4", 500, 500));

        String delegation = "{\"type\":\"session.delegation.created\",\"event_id\":\"e4\",\"offset_ms\":3000,"
                + "\"delegation\":{\"id\":\"dlg_1\",\"type\":\"delegation\",\"target\":\"responses\",\"response_id\":\"resp_1\"}}";
        var sdkDelegation = sdkServer(delegation).asSessionDelegationCreated().delegation();
        assertThat(parser.parse(delegation))
                .isEqualTo(new LiveServerEvent.DelegationCreated(
                        sdkDelegation.id(), sdkDelegation.target().toString(), "resp_1", 3000));

        String usage = "{\"type\":\"session.usage.updated\",\"event_id\":\"e5\",\"usage\":{\"seconds\":12.5},"
                + "\"context_window\":{\"usage_ratio\":0.25}}";
        var sdkUsage = sdkServer(usage).asSessionUsageUpdated();
        assertThat(parser.parse(usage))
                .isEqualTo(new LiveServerEvent.UsageUpdated(
                        sdkUsage.usage().seconds(),
                        sdkUsage.contextWindow().orElseThrow().usageRatio()));

        String closed =
                "{\"type\":\"session.closed\",\"event_id\":\"e6\",\"reason\":\"expired\",\"usage\":{\"seconds\":3600.0},"
                        + "\"session\":{\"id\":\"sess_1\",\"expires_at\":1900000000,\"status\":\"active\",\"model\":\"gpt-live-1\"}}";
        var sdkClosed = sdkServer(closed).asSessionClosed();
        assertThat(parser.parse(closed))
                .isEqualTo(new LiveServerEvent.SessionClosed(
                        sdkClosed.reason().toString(), sdkClosed.usage().seconds()));

        String error = "{\"type\":\"error\",\"event_id\":\"e7\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"code\":\"unknown_parameter\",\"message\":\"Unknown parameter: 'session.type'.\","
                + "\"param\":\"session.type\",\"client_event_id\":\"evt_1\"}}";
        var sdkError = sdkServer(error).asErrorEvent().error();
        assertThat(parser.parse(error))
                .isEqualTo(new LiveServerEvent.ServerError(
                        sdkError.type(), sdkError.code(), sdkError.message(), "session.type", "evt_1"));

        String muted = "{\"type\":\"session.input_audio.muted\",\"event_id\":\"e8\"}";
        assertThat(sdkServer(muted).isSessionInputAudioMuted()).isTrue();
        assertThat(parser.parse(muted)).isEqualTo(new LiveServerEvent.InputMuted(true));

        String info = "{\"type\":\"info\",\"event_id\":\"e9\",\"code\":\"data_channel_permissions\",\"message\":\"m\"}";
        assertThat(sdkServer(info).asInfoEvent().code()).isEqualTo("data_channel_permissions");
        assertThat(parser.parse(info)).isEqualTo(new LiveServerEvent.Info("data_channel_permissions", "m"));
    }

    @Test
    void wrappedBackendEventsAreSdkResponseEventsAndResponsesStreamEvents() throws Exception {
        String call = """
                {"type":"response.event","event_id":"e1","delegation_id":"dlg_1","event":{
                 "type":"response.output_item.done","sequence_number":4,"output_index":0,
                 "item":{"id":"fc_1","type":"function_call","status":"completed","call_id":"call_1",
                         "name":"end_call","arguments":"{}"}}}""";
        var wrapped = sdkServer(call).asResponseEvent();
        assertThat(wrapped.delegationId()).contains("dlg_1");
        var inner = sdk.convertValue(
                        wrapped.event()._allProperties(), com.openai.models.responses.ResponseStreamEvent.class)
                .validate();
        var item = inner.asOutputItemDone().item().asFunctionCall();
        assertThat(parser.parse(call))
                .isEqualTo(new LiveServerEvent.FunctionCall(
                        "dlg_1", item.id().orElseThrow(), item.callId(), item.name(), item.arguments()));

        String done = """
                {"type":"response.event","event_id":"e2","delegation_id":"dlg_1","event":{
                 "type":"response.completed","sequence_number":5,"response":{"id":"resp_1","object":"response",
                 "created_at":1900000000,"status":"completed","model":"gpt-5.6-luna","output":[],"tools":[],
                 "tool_choice":"auto","parallel_tool_calls":true,"error":null,"incomplete_details":null,
                 "instructions":null,"temperature":null,"top_p":null,
                 "usage":{"input_tokens":120,"output_tokens":24,"total_tokens":144,
                          "input_tokens_details":{"cached_tokens":100,"cache_write_tokens":0},"output_tokens_details":{"reasoning_tokens":8}}}}}""";
        var completed = sdk.convertValue(
                        sdkServer(done).asResponseEvent().event()._allProperties(),
                        com.openai.models.responses.ResponseStreamEvent.class)
                .validate()
                .asCompleted()
                .response();
        var u = completed.usage().orElseThrow();
        assertThat(parser.parse(done))
                .isEqualTo(new LiveServerEvent.BackendResponseDone(
                        "dlg_1",
                        completed.id(),
                        "completed",
                        new LiveServerEvent.BackendUsage(
                                u.inputTokens(),
                                u.inputTokensDetails().cachedTokens(),
                                u.outputTokens(),
                                u.outputTokensDetails().reasoningTokens()),
                        null));
    }
}
