package dev.voicebridge.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DeprecatedDurationTest {
    static final Setting<Duration> AGE = Setting.duration("x.stale-event-age", "2m", "");
    static final List<DeprecatedDuration> OLD = List.of(
            DeprecatedDuration.seconds("x.stale-event-age-seconds", "x.stale-event-age"),
            DeprecatedDuration.millis("x.other-millis", "x.other"));

    static Duration read(Map<String, String> values) {
        return DeprecatedDuration.read(AGE, OLD, values::get, (old, current) -> false);
    }

    @Test
    void theOldKeyAppliesInItsUnitWithOneWarningNamingTheNewKeyWhenTheNewOneIsUnset() {
        List<String> lines = new ArrayList<>();
        Logger logger = Logger.getLogger(DeprecatedDuration.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            assertThat(read(Map.of("x.stale-event-age-seconds", "90"))).isEqualTo(Duration.ofSeconds(90));
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(lines)
                .containsExactly("WARNING event=config-deprecated key=x.stale-event-age-seconds use=x.stale-event-age"
                        + " as=90s");
    }

    @Test
    void theNewKeyWinsUnlessTheOldOneComesFromAStrongerSource() {
        var both = Map.of("x.stale-event-age-seconds", "90", "x.stale-event-age", "30s");
        assertThat(read(both)).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeprecatedDuration.read(AGE, OLD, both::get, (old, current) -> true))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(read(Map.of())).isEqualTo(Duration.ofMinutes(2));
        assertThat(read(Map.of("x.other-millis", "5")))
                .as("another key's alias")
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aBadOldValueStopsStartUpNamingTheOldKey() {
        assertThatThrownBy(() -> read(Map.of("x.stale-event-age-seconds", "90s")))
                .hasMessageStartingWith("x.stale-event-age-seconds: ");
    }
}
