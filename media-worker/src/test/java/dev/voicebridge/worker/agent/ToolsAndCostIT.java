package dev.voicebridge.worker.agent;

import static dev.voicebridge.testkit.audio.Signals.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP tools against a real local HTTP server, and cost from the usage the fake service reports. */
@Timeout(30)
class ToolsAndCostIT {
    private final AgentHarness h = new AgentHarness();
    private final ToolServer tools = new ToolServer();

    @AfterEach
    void close() {
        tools.close();
        h.close();
    }

    private JsonNode outputFor(String toolItemPrefix, int index) {
        return h.server.received("conversation.item.create").get(index).json().path("item");
    }

    @Test
    void httpToolsAnswerTheModelWithResultsOrClearErrors() throws Exception {
        VoiceAgentSpec spec = AgentHarness.spec();
        spec.getTools().add(tools.tool("get_weather", "/weather", 2000));
        spec.getTools().add(tools.tool("slow_tool", "/slow", 300));
        spec.getTools().add(tools.tool("broken_tool", "/broken", 2000));
        h.server.respondWith(ResponseAudio.tone(440, 200));
        h.start(spec, AgentHarness.config());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.server.sent("session.updated").isEmpty());
        h.agent.mediaUp();
        var declared = h.server
                .received("session.update")
                .get(0)
                .json()
                .path("session")
                .path("tools");
        assertThat(declared).hasSize(4);
        assertThat(declared.get(1).path("type").asText()).isEqualTo("function");

        h.server.emitFunctionCall("get_weather", "{\"city\":\"Paris\"}", null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.server.received("response.create").size() == 1);
        assertThat(tools.bodies).containsExactly("{\"city\":\"Paris\"}");
        var ok = outputFor("get_weather", 0);
        assertThat(ok.path("type").asText()).isEqualTo("function_call_output");
        assertThat(ok.path("output").asText()).isEqualTo("{\"city\":\"Paris\",\"tempC\":21}");
        // The answer to the tool result is requested only after the tool call's response finished.
        var all = h.server.received();
        int outputAt = all.indexOf(h.server.received("conversation.item.create").get(0));
        int createAt = all.indexOf(h.server.received("response.create").get(0));
        assertThat(createAt).isGreaterThan(outputAt);
        await().atMost(Duration.ofSeconds(3)).until(() -> h.server.responses().size() == 2);

        h.server.emitFunctionCall("slow_tool", "{}", null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.server.received("conversation.item.create").size() == 2);
        var timeout = h.json.readTree(outputFor("slow_tool", 1).path("output").asText());
        assertThat(timeout.path("error").asText()).isEqualTo("timeout");
        assertThat(timeout.path("message").asText()).contains("slow_tool").contains("300 ms");
        await().atMost(Duration.ofSeconds(3)).until(() -> h.server.responses().size() == 4);

        h.server.emitFunctionCall("broken_tool", "{}", null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.server.received("conversation.item.create").size() == 3);
        var broken = h.json.readTree(outputFor("broken_tool", 2).path("output").asText());
        assertThat(broken.path("error").asText()).isEqualTo("http_status");
        assertThat(broken.path("status").asInt()).isEqualTo(500);
        assertThat(broken.path("body").asText()).isEqualTo("database down");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> h.server.received("response.create").size() == 3);
        assertThat(h.ends).isEmpty();
        assertThat(h.server.sent("error")).isEmpty();
    }

    @Test
    void costFollowsTheUsageOfEveryResponse() {
        var spec = AgentHarness.spec();
        var prices = new PriceTable();
        prices.setAudioInput(32.0);
        prices.setCachedAudioInput(0.4);
        prices.setAudioOutput(64.0);
        prices.setTextInput(4.0);
        prices.setCachedTextInput(0.4);
        prices.setTextOutput(16.0);
        spec.setPricing(prices);
        h.server.respondWith(ResponseAudio.tone(440, 800));
        h.start(spec, AgentHarness.config());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !h.server.sent("session.updated").isEmpty());
        h.agent.mediaUp();

        for (int turn = 1; turn <= 2; turn++) {
            h.leg.say(tone(300, 0.25, 700));
            int expected = turn;
            await().atMost(Duration.ofSeconds(6))
                    .until(() -> h.server.responses().size() == expected && h.leg.queuedMillis() == 0);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> h.snapshot().responses() == 2);

        long inText = 0, inAudio = 0, cachedText = 0, cachedAudio = 0, outText = 0, outAudio = 0, in = 0, out = 0;
        for (var r : h.server.responses()) {
            var u = r.path("usage");
            in += u.path("input_tokens").asLong();
            out += u.path("output_tokens").asLong();
            inText += u.path("input_token_details").path("text_tokens").asLong();
            inAudio += u.path("input_token_details").path("audio_tokens").asLong();
            cachedText += u.path("input_token_details")
                    .path("cached_tokens_details")
                    .path("text_tokens")
                    .asLong();
            cachedAudio += u.path("input_token_details")
                    .path("cached_tokens_details")
                    .path("audio_tokens")
                    .asLong();
            outText += u.path("output_token_details").path("text_tokens").asLong();
            outAudio += u.path("output_token_details").path("audio_tokens").asLong();
        }
        assertThat(outAudio).isEqualTo(2 * 16); // 800 ms at 1200 tokens/min, twice
        assertThat(cachedText).isPositive(); // the second response re-bills the first as cached input
        double micro = (inText - cachedText) * 4.0
                + cachedText * 0.4
                + (inAudio - cachedAudio) * 32.0
                + cachedAudio * 0.4
                + outText * 16.0
                + outAudio * 64.0;
        var expectedCost = BigDecimal.valueOf(micro).divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP);

        var snap = h.snapshot();
        assertThat(snap.usage().voice().inputTokens()).isEqualTo(in);
        assertThat(snap.usage().voice().outputTokens()).isEqualTo(out);
        assertThat(snap.estimatedCostUsd()).isEqualByComparingTo(expectedCost).isPositive();
        var status = snap.toStatus();
        assertThat(status.getEstimatedCostUsd()).isEqualTo(expectedCost.toPlainString());
        assertThat(status.getCachedInputTokens()).isEqualTo(cachedText + cachedAudio);
        assertThat(status.getTranscript()).extracting(l -> l.getRole()).contains("caller", "agent");
        // Response latency: caller speech stopped → first agent frame sent, measured per turn.
        assertThat(status.getLastResponseLatencyMillis()).isNotNull().isBetween(0L, 2000L);
        assertThat(h.ends).extracting(AgentHarness.Ended::reason).doesNotContain(EndReason.AgentError);
    }
}
