package dev.voicebridge.worker.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.live.ClientEvent;
import com.openai.models.live.ServerEvent;
import com.openai.models.responses.ResponseStreamEvent;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.live.FakeLiveServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole GPT-Live conversation between our client and the fake (greeting by commentary, caller
 * speech, a delegated function call and its result, usage, close), with every event in both
 * directions checked against the official SDK: server events as {@code com.openai.models.live.ServerEvent},
 * the Responses events they wrap as {@code ResponseStreamEvent}, client events as
 * {@code com.openai.models.live.ClientEvent}. The fake speaks the documented protocol, and so do we.
 */
@Timeout(60)
class LiveWireConformanceIT {
    private final ObjectMapper json = new ObjectMapper();
    private final FakeLiveServer server = FakeLiveServer.start("sk-conformance");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyEventOnTheWireIsAnSdkEvent() throws Exception {
        server.usageEvery(Duration.ofMillis(200)).callFunctionOnNextUtterance("end_call", "{}");
        var events = new CopyOnWriteArrayList<LiveServerEvent>();
        var client = new LiveClient(
                new LiveClientConfig(server.uri(), "sk-conformance", Duration.ofSeconds(5), null, null, 0), json);
        var tool = new LiveSessionConfig.FunctionTool("end_call", "Hang up", null);
        var session = new LiveSessionConfig(
                "gpt-live-1",
                "Be brief.",
                "marin",
                new LiveSessionConfig.Delegation.Responses("gpt-5.6-luna", "Use tools.", List.of(tool), "auto"),
                List.of(new LiveSessionConfig.HistoryMessage(LiveSessionConfig.HistoryMessage.Role.USER, "Hi")));
        var c = client.start(session, events::add).join();
        c.send(new LiveClientEvent.AppendCommentary(null, "Greet the caller."));
        c.send(new LiveClientEvent.AppendThinking(null, "The caller is Ana."));
        c.send(new LiveClientEvent.AppendInstructions(null, "Keep answers short."));
        c.send(new LiveClientEvent.MuteInput(true));
        c.send(new LiveClientEvent.MuteInput(false));
        var speech = Arrays.copyOf(Signals.tone(300, 0.25, 400), 24_000);
        for (int off = 0; off < speech.length; off += 480) {
            c.send(new LiveClientEvent.AppendAudio(Arrays.copyOfRange(speech, off, off + 480)));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(e -> e instanceof LiveServerEvent.FunctionCall));
        var call = events.stream()
                .filter(e -> e instanceof LiveServerEvent.FunctionCall)
                .map(LiveServerEvent.FunctionCall.class::cast)
                .findFirst()
                .orElseThrow();
        c.send(new LiveClientEvent.FunctionCallOutput(call.callId(), "{\"ok\":true}"));
        c.send(new LiveClientEvent.ContinueResponse());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.wrapped("response.completed").size() == 2
                        && !server.sent("session.usage.updated").isEmpty()
                        && !server.sent("session.output_transcript.delta").isEmpty());
        assertThat(c.close().join()).isPresent();

        var sdk = ObjectMappers.jsonMapper();
        var problems = new TreeSet<String>();
        var serverTypes = new TreeSet<String>();
        var innerTypes = new TreeSet<String>();
        for (var e : server.sent()) {
            var copy = (ObjectNode) e.deepCopy();
            copy.remove("_connection");
            serverTypes.add(copy.path("type").asText());
            try {
                var event = sdk.treeToValue(copy, ServerEvent.class).validate();
                if (event.isResponseEvent()) {
                    var inner = sdk.treeToValue(copy.get("event"), ResponseStreamEvent.class)
                            .validate();
                    innerTypes.add(copy.path("event").path("type").asText());
                    assertThat(inner).isNotNull();
                }
            } catch (RuntimeException invalid) {
                problems.add(copy.path("type").asText() + "/"
                        + copy.path("event").path("type").asText("") + ": " + invalid.getMessage());
            }
        }
        // the audio stream is not recorded in sent(); one delta stands for all
        sdk.readValue("{\"type\":\"session.output_audio.delta\",\"delta\":\"AAAA\"}", ServerEvent.class)
                .validate();
        var clientTypes = new TreeSet<String>();
        for (var r : server.received()) {
            clientTypes.add(r.type());
            try {
                sdk.treeToValue(r.json(), ClientEvent.class).validate();
            } catch (RuntimeException invalid) {
                problems.add("client " + r.type() + ": " + invalid.getMessage());
            }
        }
        assertThat(problems).isEmpty();
        assertThat(serverTypes)
                .contains(
                        "session.started",
                        "session.commentary.appended",
                        "session.thinking.appended",
                        "session.instructions.appended",
                        "session.input_audio.muted",
                        "session.input_audio.unmuted",
                        "session.input_transcript.delta",
                        "session.output_transcript.delta",
                        "session.delegation.created",
                        "response.event",
                        "session.usage.updated",
                        "session.closed");
        assertThat(innerTypes)
                .contains(
                        "response.created",
                        "response.output_item.added",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.done",
                        "response.output_item.done",
                        "response.output_text.delta",
                        "response.completed");
        assertThat(clientTypes)
                .containsExactlyInAnyOrder(
                        "session.start",
                        "session.commentary.append",
                        "session.thinking.append",
                        "session.instructions.append",
                        "session.input_audio.mute",
                        "session.input_audio.unmute",
                        "session.input_audio.append",
                        "response.item.create",
                        "response.create",
                        "session.close");
    }
}
