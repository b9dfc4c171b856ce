package dev.voicebridge.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(s.media().jitterMinDepthMillis()).isEqualTo(40);
    }

    @Test
    void readsEveryKeyAndSplitsAdvertisedAddresses() {
        Map<String, String> values = Map.of(
                "voicebridge.worker.pod-name", "mw-3",
                "voicebridge.media.port", "10000",
                "voicebridge.media.advertised-address", " 203.0.113.7, 2001:db8::7 ",
                "voicebridge.media.opus-complexity", "9",
                "voicebridge.worker.drain-timeout", "PT14M");
        var s = WorkerSettings.from(values::get);
        assertThat(s.podName()).isEqualTo("mw-3");
        assertThat(s.transport().port()).isEqualTo(10000);
        assertThat(s.transport().advertisedAddresses()).containsExactly("203.0.113.7", "2001:db8::7");
        assertThat(s.media().opusComplexity()).isEqualTo(9);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofMinutes(14));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.worker.stats-interval", "PT0.2S")::get))
                .hasMessageContaining("stats-interval");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("voicebridge.media.jitter-min-depth-millis", "5")::get))
                .isInstanceOf(IllegalArgumentException.class);
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
        assertThat(rows).hasSize(WorkerSettings.KEYS.size());
    }
}
