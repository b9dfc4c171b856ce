package dev.voicebridge.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void goStyleAndIsoMeanTheSame() {
        Map.of(
                        "500ms", Duration.ofMillis(500),
                        "0.5s", Duration.ofMillis(500),
                        "10s", Duration.ofSeconds(10),
                        "PT10S", Duration.ofSeconds(10),
                        "2m", Duration.ofMinutes(2),
                        "1m30s", Duration.ofSeconds(90),
                        "1h", Duration.ofHours(1),
                        "1d", Duration.ofDays(1),
                        "0", Duration.ZERO,
                        "1h2m3s4ms", Duration.ofMillis(3_723_004))
                .forEach((text, expected) ->
                        assertThat(Durations.parse(text)).as(text).isEqualTo(expected));
    }

    @Test
    void refusesWhatIsNoDurationAndSaysWhichFormsAreAccepted() {
        for (String bad : new String[] {"", "10", "ten seconds", "-5s", "10 s", "s", "1.5"}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10s");
        }
    }

    @Test
    void formatGivesTheShortestTextThatParsesBack() {
        for (Duration d : new Duration[] {
            Duration.ZERO, Duration.ofMillis(1500), Duration.ofSeconds(20), Duration.ofMinutes(55), Duration.ofHours(4)
        }) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofHours(4))).isEqualTo("4h");
    }

    @Test
    void aSettingNamesItsKeyWhenItsValueIsRefused() {
        var key = Setting.duration("voicebridge.x.timeout", "10s", "a timeout");
        assertThat(key.read(name -> null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(key.read(name -> "  ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(key.read(name -> "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> key.read(name -> "soon"))
                .hasMessageStartingWith("voicebridge.x.timeout: ")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Setting.integer("K", "1", 1, 5, "").read(name -> "9"))
                .hasMessage("K: must be between 1 and 5, was 9");
        assertThatThrownBy(() -> Setting.bool("B", "true", "").read(name -> "maybe"))
                .hasMessageContaining("B: must be true or false");
    }
}
