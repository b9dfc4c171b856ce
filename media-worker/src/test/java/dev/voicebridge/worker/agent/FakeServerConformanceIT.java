package dev.voicebridge.worker.agent;

import static dev.voicebridge.testkit.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.core.ObjectMappers;
import com.openai.models.realtime.RealtimeClientEvent;
import com.openai.models.realtime.RealtimeServerEvent;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole conversation (greeting-less turn, barge-in, truncate, function call) between our client
 * and the fake service, with every event in both directions checked against the official SDK's GA
 * event unions: the fake speaks GA, and so do we.
 */
@Timeout(30)
class FakeServerConformanceIT {
    private final AgentHarness h = new AgentHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void everyEventOnTheWireIsAGaEvent() throws Exception {
        h.server.respondWith(ResponseAudio.tone(440, 3000));
        h.start(AgentHarness.spec(), AgentHarness.config());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.server.sent("session.updated").isEmpty());
        h.agent.mediaUp();
        h.leg.say(tone(300, 0.25, 500));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.leg.itemsSent().isEmpty()
                        && h.leg.sentOf(h.leg.itemsSent().get(0)).length > 12_000);
        h.leg.say(tone(300, 0.25, 400));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.server.sent("conversation.item.truncated").isEmpty());
        h.server.emitFunctionCall("end_call", "{}", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.ends.isEmpty());
        // The tool's result goes out before the agent ends the call, but the fake reads it on its own
        // thread: wait for it to be read rather than for the end.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.server.received().stream().anyMatch(r -> r.type().equals("conversation.item.create")));

        var sdk = ObjectMappers.jsonMapper();
        var problems = new java.util.TreeSet<String>();
        var serverTypes = new HashSet<String>();
        for (var e : h.server.sent()) {
            var copy = e.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("_connection");
            try {
                sdk.treeToValue(copy, RealtimeServerEvent.class).validate();
            } catch (RuntimeException invalid) {
                problems.add(e.path("type").asText() + ": " + invalid.getMessage());
            }
            serverTypes.add(e.path("type").asText());
        }
        var clientTypes = new HashSet<String>();
        for (var r : h.server.received()) {
            try {
                sdk.treeToValue(r.json(), RealtimeClientEvent.class).validate();
            } catch (RuntimeException invalid) {
                problems.add("client " + r.type() + ": " + invalid.getMessage());
            }
            clientTypes.add(r.type());
        }
        assertThat(serverTypes)
                .contains(
                        "session.created",
                        "session.updated",
                        "input_audio_buffer.speech_started",
                        "input_audio_buffer.speech_stopped",
                        "response.created",
                        "response.output_item.added",
                        "response.output_audio.delta",
                        "response.output_audio.done",
                        "response.done",
                        "conversation.item.truncated",
                        "response.function_call_arguments.done");
        assertThat(clientTypes)
                .contains(
                        "session.update",
                        "input_audio_buffer.append",
                        "conversation.item.truncate",
                        "conversation.item.create");
    }
}
