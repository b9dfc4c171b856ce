package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.worker.realtime.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricesAndConfigTest {
    @Test
    void oneMinuteEachWayAtListPrices() {
        // 1 min caller audio ≈ 600 tokens, 1 min agent audio ≈ 1200 tokens (PROTOCOLS.md)
        var u = new Usage(600, 1200, 0, 600, 0, 0, 0, 0, 1200);
        // 600 × $32/M + 1200 × $64/M = 0.0192 + 0.0768
        assertThat(Prices.from(null).cost(u)).isEqualByComparingTo(new BigDecimal("0.096"));
    }

    @Test
    void cachedInputIsBilledAtTheCachedPriceAndTableFieldsOverrideDefaults() {
        var u = new Usage(1000, 0, 200, 800, 500, 100, 400, 0, 0);
        var t = new PriceTable();
        t.setAudioInput(10.0);
        // text: 100 × 4 + 100 × 0.4; audio: 400 × 10 + 400 × 0.4  → 400 + 40 + 4000 + 160 = 4600 micro-dollars
        assertThat(Prices.from(t).cost(u)).isEqualByComparingTo(new BigDecimal("0.0046"));
    }

    @Test
    void configDefaultsAndOverrides() {
        var d = AgentConfig.DEFAULTS;
        assertThat(d.greetingLeadIn()).isEqualTo(Duration.ofMillis(400));
        assertThat(d.sessionRollover()).isEqualTo(Duration.ofMinutes(55));
        assertThat(d.unavailableAfter()).isEqualTo(Duration.ofSeconds(20));
        var c = AgentConfig.from(
                Map.of("voicebridge.agent.append-frames", "5", "voicebridge.agent.session-rollover", "PT30S")::get);
        assertThat(c.appendFrames()).isEqualTo(5);
        assertThat(c.sessionRollover()).isEqualTo(Duration.ofSeconds(30));
        assertThat(AgentConfig.KEYS).hasSize(13);
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
    void realtimeSettingsPickTheAdapter() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var s = dev.voicebridge.worker.realtime.RealtimeSettings.DEFAULTS;
        assertThat(s.baseUrl().toString()).isEqualTo("wss://api.openai.com/v1/realtime");
        assertThat(s.clientFor(null, json).kind()).isEqualTo("embedded");
        assertThat(s.clientFor(" ", json).kind()).isEqualTo("embedded");
        assertThat(s.clientFor("sk-x", json).kind()).isEqualTo("openai");
    }

    @Test
    void docsListEveryConfigurationKeyWithItsDefault() throws Exception {
        var doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "agent.md"));
        AgentConfig.KEYS.forEach((k, v) ->
                assertThat(doc).contains("`voicebridge.agent." + k + "`").contains(v));
        dev.voicebridge.worker.realtime.RealtimeSettings.KEYS.forEach((k, v) ->
                assertThat(doc).contains("`voicebridge.realtime." + k + "`").contains(v));
    }
}
