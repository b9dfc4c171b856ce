package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.live.LiveSettings;
import dev.voicebridge.worker.model.Capabilities;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;
import dev.voicebridge.worker.providers.ModelProviders;
import dev.voicebridge.worker.realtime.RealtimeSettings;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricesAndConfigTest {
    private static VoiceAgentSpec agent(String api, String model) {
        var spec = new VoiceAgentSpec();
        spec.setApi(api);
        spec.setModel(model);
        return spec;
    }

    @Test
    void oneMinuteEachWayAtRealtimeListPrices() {
        // 1 min caller audio ≈ 600 tokens, 1 min agent audio ≈ 1200 tokens
        var u = ModelUsage.tokens(new TokenUsage(600, 1200, 0, 600, 0, 0, 0, 0, 1200));
        // 600 × $32/M + 1200 × $64/M = 0.0192 + 0.0768, for gpt-realtime-2.1 as for gpt-realtime
        assertThat(Prices.of(new VoiceAgentSpec(), null).cost(u)).isEqualByComparingTo(new BigDecimal("0.096"));
        assertThat(Prices.of(agent(null, "gpt-realtime"), null).cost(u)).isEqualByComparingTo(new BigDecimal("0.096"));
        // the mini model: 600 × $10/M + 1200 × $20/M
        assertThat(Prices.of(agent("realtime", "gpt-realtime-2.1-mini"), null).cost(u))
                .isEqualByComparingTo(new BigDecimal("0.030"));
    }

    @Test
    void textOutputIsPricedByModel() {
        var u = ModelUsage.tokens(new TokenUsage(0, 1_000_000, 0, 0, 0, 0, 0, 1_000_000, 0));
        assertThat(Prices.of(agent(null, "gpt-realtime-2.1"), null).cost(u)).isEqualByComparingTo("24");
        assertThat(Prices.of(agent(null, "gpt-realtime"), null).cost(u)).isEqualByComparingTo("16");
        // the call's override names the model that answered
        assertThat(Prices.of(agent(null, "gpt-realtime"), "gpt-realtime-2").cost(u))
                .isEqualByComparingTo("24");
    }

    @Test
    void cachedInputIsBilledAtTheCachedPriceAndTableFieldsOverrideDefaults() {
        var u = ModelUsage.tokens(new TokenUsage(1000, 0, 200, 800, 500, 100, 400, 0, 0));
        var spec = new VoiceAgentSpec();
        var t = new PriceTable();
        t.setAudioInput(10.0);
        spec.setPricing(t);
        // text: 100 × 4 + 100 × 0.4; audio: 400 × 10 + 400 × 0.4  → 400 + 40 + 4000 + 160 = 4600 micro-dollars
        assertThat(Prices.of(spec, null).cost(u)).isEqualByComparingTo(new BigDecimal("0.0046"));
    }

    @Test
    void liveBillsSessionSecondsAndBackendTokens() {
        var live = agent("live", null);
        // a minute of session, speech or silence: $0.05
        assertThat(Prices.of(live, null).cost(ModelUsage.seconds(60))).isEqualByComparingTo("0.05");
        assertThat(Prices.of(live, null).cost(ModelUsage.seconds(12.345))).isEqualByComparingTo("0.010288");
        // a tool call on the default backend (gpt-5.4-mini): 700 uncached × $0.75 + 300 cached × $0.075
        // + 40 out × $4.50 per 1M = 525 + 22.5 + 180 micro-dollars
        var tool = ModelUsage.backend(TokenUsage.text(1000, 300, 40));
        assertThat(Prices.of(live, null).cost(tool)).isEqualByComparingTo("0.000728");
        var t = new PriceTable();
        t.setActivePerMinute(0.04);
        t.setBackendOutput(10.0);
        live.setPricing(t);
        assertThat(Prices.of(live, null).cost(ModelUsage.seconds(60).plus(tool)))
                .isEqualByComparingTo("0.040948"); // 0.04 + (525 + 22.5 + 400) micro-dollars
        // a Live agent's voice tokens (there are none) cost nothing: no token prices apply
        var tokens = ModelUsage.tokens(new TokenUsage(600, 1200, 0, 600, 0, 0, 0, 0, 1200));
        assertThat(Prices.of(agent("live", null), null).cost(tokens)).isEqualByComparingTo("0");
    }

    @Test
    void configDefaultsAndOverrides() {
        var d = AgentConfig.DEFAULTS;
        assertThat(d.greetingLeadIn()).isEqualTo(Duration.ofMillis(200));
        assertThat(d.sessionRollover()).isEqualTo(Duration.ofMinutes(55));
        assertThat(d.rolloverBeforeExpiry()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.unavailableAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.callerSpeechRms()).isEqualTo(500);
        var c = AgentConfig.from(
                Map.of("voicebridge.agent.append-frames", "5", "voicebridge.agent.session-rollover", "PT30S")::get);
        assertThat(c.appendFrames()).isEqualTo(5);
        assertThat(c.sessionRollover()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.with("close-timeout", "PT1S").closeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(AgentConfig.KEYS).hasSize(16);
        var live = LiveSettings.from(Map.of("voicebridge.live.playout-depth-frames", "3")::get);
        assertThat(live.tuning().playoutDepthFrames()).isEqualTo(3);
        assertThat(live.url().toString()).isEqualTo("wss://api.openai.com/v1/live/sessions");
        assertThat(LiveSettings.DEFAULTS.tuning().turnGap()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void theCallerQueueIsBoundedBecauseItIsAllocatedWithEveryCall() {
        assertThat(AgentConfig.DEFAULTS.with("caller-queue-frames", "1000").callerQueueFrames())
                .isEqualTo(1000);
        assertThatThrownBy(() -> AgentConfig.DEFAULTS.with("caller-queue-frames", "1001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caller-queue-frames is at most 1000");
    }

    @Test
    void transcriptMasksPhoneNumbersAndStaysBounded() {
        var log = new TranscriptLog("wacid.X", 2);
        log.add("caller", "call me on +44 7700 900123 please");
        log.add("agent", "sure");
        log.add("agent", "done");
        var lines = log.toStatus();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).getText()).isEqualTo("sure");
        assertThat(TranscriptLog.mask("call me on +44 7700 900123 please"))
                .doesNotContain("900123")
                .contains("#");
        assertThat(TranscriptLog.mask("table for 2 at 7")).isEqualTo("table for 2 at 7");
    }

    @Test
    void theAgentsApiAndKeyPickTheAdapter() {
        var json = new ObjectMapper();
        var p = ModelProviders.DEFAULTS;
        assertThat(p.realtime().baseUrl().toString()).isEqualTo("wss://api.openai.com/v1/realtime");
        assertThat(p.forAgent("live", null, json).api()).isEqualTo("embedded");
        assertThat(p.forAgent("realtime", " ", json).api()).isEqualTo("embedded");
        assertThat(p.forAgent(null, "sk-x", json).api()).isEqualTo("realtime");
        assertThat(p.forAgent("realtime", "sk-x", json).capabilities().bargeIn())
                .isEqualTo(Capabilities.BargeIn.CLIENT_TRUNCATES);
        var live = p.forAgent("live", "sk-x", json);
        assertThat(live.api()).isEqualTo("live");
        assertThat(live.capabilities().bargeIn()).isEqualTo(Capabilities.BargeIn.MODEL_CONTROLLED);
        assertThat(live.capabilities().playoutDepthFrames()).isEqualTo(2);
        assertThat(live.capabilities().reportsCallerSpeech()).isFalse();
    }

    @Test
    void docsListEveryConfigurationKeyWithItsDefault() throws Exception {
        var doc = Files.readString(Path.of("..", "docs", "agent.md"));
        AgentConfig.KEYS.forEach((k, v) ->
                assertThat(doc).contains("`voicebridge.agent." + k + "`").contains(v));
        RealtimeSettings.KEYS.forEach((k, v) ->
                assertThat(doc).contains("`voicebridge.realtime." + k + "`").contains(v));
        LiveSettings.KEYS.forEach((k, v) ->
                assertThat(doc).contains("`voicebridge.live." + k + "`").contains(v));
        RealtimeSettings.DEPRECATED.forEach(
                old -> assertThat(doc).contains("| `" + old.name() + "` | `" + old.replacement() + "` |"));
    }
}
