package dev.voicebridge.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.testkit.config.DurationForms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        OperatorConfig config = OperatorConfig.of(Map.of());
        assertThat(config.namespaces()).isEmpty();
        assertThat(config.retention()).isEqualTo(Duration.ofHours(1));
        assertThat(config.leaderElection()).isTrue();
        assertThat(config.acceptOn()).isEqualTo(OperatorConfig.AcceptOn.DTLS_CONNECTED);
        assertThat(config.graphBaseUrl().toString()).isEqualTo("https://graph.facebook.com");
        assertThat(config.graphMaxAttempts()).isEqualTo(4);
        assertThat(config.pendingTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpExchangeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.httpMaxExchanges()).isEqualTo(64);
    }

    @Test
    void valuesParseWithUnitsAndIso() {
        OperatorConfig config = OperatorConfig.of(Map.of(
                ConfigKey.VOICEBRIDGE_NAMESPACES, " calls , more ",
                ConfigKey.VOICEBRIDGE_RETENTION, "PT30M",
                ConfigKey.VOICEBRIDGE_GRAPH_TIMEOUT, "750ms",
                ConfigKey.VOICEBRIDGE_ACCEPT_ON, "answer",
                ConfigKey.VOICEBRIDGE_GRAPH_BASE_URL, "http://127.0.0.1:9999/"));
        assertThat(config.namespaces()).containsExactlyInAnyOrder("calls", "more");
        assertThat(config.retention()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.graphTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.acceptOn()).isEqualTo(OperatorConfig.AcceptOn.ANSWER);
        assertThat(config.graphBaseUrl().toString()).isEqualTo("http://127.0.0.1:9999");
    }

    @Test
    void everyDurationFormReadsAsInTheOtherServicesAndABadOneStopsStartUpNamingTheKey() {
        DurationForms.ACCEPTED.forEach(
                (text, expected) -> assertThat(OperatorConfig.of(Map.of(ConfigKey.VOICEBRIDGE_PENDING_TIMEOUT, text))
                                .pendingTimeout())
                        .as(text)
                        .isEqualTo(expected));
        for (String bad : DurationForms.REFUSED) {
            assertThatThrownBy(
                            () -> OperatorConfig.from(name -> name.equals("VOICEBRIDGE_PENDING_TIMEOUT") ? bad : null))
                    .as(bad)
                    .hasMessageStartingWith("VOICEBRIDGE_PENDING_TIMEOUT: ");
        }
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> OperatorConfig.of(Map.of(ConfigKey.VOICEBRIDGE_RETENTION, "soon")))
                .hasMessageContaining("VOICEBRIDGE_RETENTION")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> OperatorConfig.of(Map.of(ConfigKey.VOICEBRIDGE_HTTP_PORT, "70000")))
                .hasMessageContaining("VOICEBRIDGE_HTTP_PORT");
        assertThatThrownBy(() -> OperatorConfig.of(Map.of(ConfigKey.VOICEBRIDGE_ACCEPT_ON, "later")))
                .hasMessageContaining("dtls-connected or answer");
        assertThatThrownBy(() -> OperatorConfig.of(Map.of(ConfigKey.VOICEBRIDGE_LEADER_ELECTION, "maybe")))
                .hasMessageContaining("VOICEBRIDGE_LEADER_ELECTION");
    }

    @Test
    void docsListEveryKeyWithItsDefault() throws Exception {
        Path docs = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "operator.md");
        if (!Files.exists(docs)) {
            docs = Path.of("..", "docs", "operator.md");
        }
        String text = Files.readString(docs);
        for (ConfigKey key : ConfigKey.values()) {
            String row = text.lines()
                    .filter(line -> line.startsWith("| `" + key.name() + "`"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(key + " is not documented in docs/operator.md"));
            String shownDefault = key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`";
            assertThat(row).as("default of %s", key).contains(shownDefault);
        }
    }
}
