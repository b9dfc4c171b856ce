package dev.voicebridge.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.testkit.config.DurationForms;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.ice.CandidatePolicy;
import dev.voicebridge.worker.ice.CheckLimits;
import dev.voicebridge.worker.ice.Cidr;
import dev.voicebridge.worker.live.LiveSettings;
import dev.voicebridge.worker.realtime.RealtimeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
    @Test
    void defaultsAreProductionValues() {
        var s = WorkerSettings.from(key -> null);
        assertThat(s.transport().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(s.transport().port()).isEqualTo(3478);
        assertThat(s.transport().advertisedAddresses()).isEmpty();
        assertThat(s.statsInterval()).isEqualTo(Duration.ofSeconds(20));
        // A backstop well above the agents' default limit (1 h), which the operator enforces.
        assertThat(s.maxCallDuration()).isEqualTo(Duration.ofHours(4));
        assertThat(s.media().jitterMinDepthMillis()).isEqualTo(40);
        assertThat(s.media().opusComplexity()).isEqualTo(1);
        assertThat(s.media().opusFecComplexity()).isEqualTo(2);
        assertThat(s.media().fecLossFloorPercent()).isZero();
        assertThat(s.media().expectedLossPercent()).isEqualTo(10);
        assertThat(s.transport().candidates()).isEqualTo(CandidatePolicy.defaults());
        assertThat(s.transport().checks()).isEqualTo(CheckLimits.defaults());
    }

    @Test
    void candidatePolicyAndCheckLimitsAreConfigurable() throws Exception {
        var s = WorkerSettings.from(Map.of(
                "voicebridge.media.candidates.max", "4",
                "voicebridge.media.candidates.families", "ipv4",
                "voicebridge.media.candidates.allow-networks", "157.240.0.0/16, 10.77.0.0/24",
                "voicebridge.media.candidates.deny-networks", "none",
                "voicebridge.media.ice.checks-per-second", "20",
                "voicebridge.media.ice.max-checks", "40")::get);
        CandidatePolicy p = s.transport().candidates();
        assertThat(p.maxCandidates()).isEqualTo(4);
        assertThat(p.families()).containsExactly(CandidatePolicy.Family.IPV4);
        assertThat(p.allow()).containsExactly(Cidr.parse("157.240.0.0/16"), Cidr.parse("10.77.0.0/24"));
        assertThat(p.deny()).isEmpty();
        assertThat(p.refusal(java.net.InetAddress.getByName("10.77.0.2"))).isNull();
        assertThat(s.transport().checks()).isEqualTo(new CheckLimits(20, 40));
        assertThatThrownBy(() ->
                        WorkerSettings.from(Map.of("voicebridge.media.candidates.deny-networks", "10.0.0.0/40")::get))
                .hasMessageContaining("10.0.0.0/40");
    }

    @Test
    void readsEveryKeyAndSplitsAdvertisedAddresses() {
        Map<String, String> values = Map.of(
                "voicebridge.worker.pod-name", "mw-3",
                "voicebridge.media.port", "10000",
                "voicebridge.media.advertised-address", " 203.0.113.7, 2001:db8::7 ",
                "voicebridge.media.opus-complexity", "9",
                "voicebridge.media.opus-fec-complexity", "5",
                "voicebridge.media.fec-loss-floor-percent", "10",
                "voicebridge.media.fec-initial-loss-percent", "0",
                "voicebridge.media.pacer-threads", "3",
                "voicebridge.worker.drain-timeout", "PT14M",
                "voicebridge.worker.max-call-duration", "PT2H");
        var s = WorkerSettings.from(values::get);
        assertThat(s.podName()).isEqualTo("mw-3");
        assertThat(s.transport().port()).isEqualTo(10000);
        assertThat(s.transport().advertisedAddresses()).containsExactly("203.0.113.7", "2001:db8::7");
        assertThat(s.media().opusComplexity()).isEqualTo(9);
        assertThat(s.media().opusFecComplexity()).isEqualTo(5);
        assertThat(s.media().fecLossFloorPercent()).isEqualTo(10);
        assertThat(s.media().expectedLossPercent()).isZero();
        assertThat(s.media().pacerThreadCount()).isEqualTo(3);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofMinutes(14));
        assertThat(s.maxCallDuration()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void otlpEndpointIsOurKeyElseTheStandardVariableElseNone() {
        assertThat(WorkerSettings.from(key -> null).otlpEndpoint()).isEmpty();
        assertThat(WorkerSettings.from(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")::get)
                        .otlpEndpoint())
                .isEqualTo("http://collector:4317");
        assertThat(WorkerSettings.from(Map.of(
                                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                                "voicebridge.telemetry.otlp-endpoint", " http://traces:4317 ")::get)
                        .otlpEndpoint())
                .isEqualTo("http://traces:4317");
    }

    @Test
    void everyDurationFormReadsAsInTheOtherServicesAndABadOneStopsStartUpNamingTheKey() {
        DurationForms.ACCEPTED.forEach((text, expected) -> {
            assertThat(WorkerSettings.from(Map.of("voicebridge.worker.drain-timeout", text)::get)
                            .drainTimeout())
                    .as(text)
                    .isEqualTo(expected);
            assertThat(AgentConfig.from(Map.of("voicebridge.agent.unavailable-after", text)::get)
                            .unavailableAfter())
                    .as(text)
                    .isEqualTo(expected);
            assertThat(LiveSettings.from(Map.of("voicebridge.live.turn-gap", text)::get)
                            .tuning()
                            .turnGap())
                    .as(text)
                    .isEqualTo(expected);
            assertThat(RealtimeSettings.from(Map.of("voicebridge.realtime.connect-timeout", text)::get)
                            .connectTimeout())
                    .as(text)
                    .isEqualTo(expected);
        });
        for (String bad : DurationForms.REFUSED) {
            assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.worker.drain-timeout", bad)::get))
                    .as(bad)
                    .hasMessageStartingWith("voicebridge.worker.drain-timeout: ");
            assertThatThrownBy(() -> AgentConfig.from(Map.of("voicebridge.agent.close-timeout", bad)::get))
                    .as(bad)
                    .hasMessageStartingWith("voicebridge.agent.close-timeout: ");
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.worker.stats-interval", "PT0.2S")::get))
                .hasMessageContaining("stats-interval");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.worker.max-call-duration", "PT0S")::get))
                .hasMessageContaining("max-call-duration");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.jitter-min-depth", "5ms")::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.jitter-min-depth", "40")::get))
                .hasMessageStartingWith("voicebridge.media.jitter-min-depth: ");
        // Below 2 libopus codes no FEC at 20 kb/s: refused with the reason, not silently PLC-only.
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.opus-fec-complexity", "1")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no FEC");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.fec-loss-floor-percent", "50")::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.pacer-threads", "-1")::get))
                .hasMessageContaining("pacerThreads");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.pacer-threads", "65")::get))
                .hasMessageContaining("pacerThreads");
    }

    @Test
    void docsListEveryKeyWithItsDefault() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("..", "docs", "media-worker.md")).stream()
                .filter(l -> l.startsWith("| `voicebridge."))
                .toList();
        WorkerSettings.KEYS.forEach((key, value) -> {
            String shown = value.isEmpty() ? "(empty)" : "`" + value + "`";
            assertThat(rows).as("docs/media-worker.md row for %s", key).anySatisfy(row -> assertThat(row)
                    .startsWith("| `" + key + "` | " + shown + " |"));
        });
        WorkerSettings.DEPRECATED.forEach(old -> assertThat(rows)
                .as("docs/media-worker.md deprecated-keys row for %s", old.name())
                .contains("| `" + old.name() + "` | `" + old.replacement() + "` |"));
        assertThat(rows).hasSize(WorkerSettings.KEYS.size() + WorkerSettings.DEPRECATED.size());
    }

    /** The integer keys of earlier releases still apply, in milliseconds, unless the new key is set. */
    @Test
    void deprecatedMillisKeysStillApplyUnlessTheNewKeyIsSet() {
        var old = WorkerSettings.from(Map.of(
                        "voicebridge.media.jitter-min-depth-millis", "60",
                        "voicebridge.media.jitter-max-depth-millis", "400")::get)
                .media();
        assertThat(old.jitterMinDepthMillis()).isEqualTo(60);
        assertThat(old.jitterMaxDepthMillis()).isEqualTo(400);
        var both = WorkerSettings.from(Map.of(
                        "voicebridge.media.jitter-min-depth-millis", "60",
                        "voicebridge.media.jitter-min-depth", "80ms")::get)
                .media();
        assertThat(both.jitterMinDepthMillis()).isEqualTo(80);
        var embedded = RealtimeSettings.from(Map.of(
                        "voicebridge.realtime.embedded.max-utterance-millis", "3000",
                        "voicebridge.realtime.embedded.beep", "0")::get)
                .embedded();
        assertThat(embedded.maxUtteranceMillis()).isEqualTo(3000);
        assertThat(embedded.beepMillis()).isZero();
        assertThat(RealtimeSettings.DEFAULTS.embedded().maxUtteranceMillis()).isEqualTo(15_000);
        assertThat(RealtimeSettings.DEFAULTS.embedded().beepMillis()).isEqualTo(120);
    }

    /** The HTTP server's keys set in microprofile-config.properties are documented with that value. */
    @Test
    void docsListEveryServerKeyWithItsDefault() throws Exception {
        var defaults = new java.util.Properties();
        try (var in = WorkerSettings.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            defaults.load(in);
        }
        List<String> rows = Files.readAllLines(Path.of("..", "docs", "media-worker.md")).stream()
                .filter(l -> l.startsWith("| `server."))
                .toList();
        assertThat(defaults.stringPropertyNames()).allSatisfy(key -> assertThat(rows)
                .as("docs/media-worker.md row for %s", key)
                .anySatisfy(
                        row -> assertThat(row).startsWith("| `" + key + "` | `" + defaults.getProperty(key) + "` |")));
        assertThat(rows).hasSize(defaults.size());
    }
}
