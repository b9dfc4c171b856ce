package dev.voicebridge.operator.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlowStartTest {
    static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");
    final SlowStart minute = new SlowStart(Duration.ofSeconds(60));

    @Test
    void theShareGrowsFromATenthToAllOverTheWindow() {
        assertThat(minute.capacityAt(50, NOW, NOW)).isEqualTo(5);
        assertThat(minute.capacityAt(50, NOW.minusSeconds(3), NOW)).isEqualTo(5); // 5 % < the floor
        assertThat(minute.capacityAt(50, NOW.minusSeconds(30), NOW)).isEqualTo(25);
        assertThat(minute.capacityAt(50, NOW.minusSeconds(45), NOW)).isEqualTo(38); // 37.5, rounded up
        assertThat(minute.capacityAt(50, NOW.minusSeconds(60), NOW)).isEqualTo(50);
        assertThat(minute.capacityAt(50, NOW.minus(Duration.ofDays(3)), NOW)).isEqualTo(50);
    }

    @Test
    void aSmallWorkerTakesAtLeastOneCallAndNoneOverItsCapacity() {
        assertThat(minute.capacityAt(3, NOW, NOW)).isEqualTo(1);
        assertThat(minute.capacityAt(1, NOW.minusSeconds(59), NOW)).isEqualTo(1);
        assertThat(minute.capacityAt(0, NOW, NOW)).isZero();
    }

    @Test
    void unknownAgeFutureReadinessAndAZeroWindow() {
        assertThat(minute.capacityAt(50, null, NOW)).as("age unknown: warm").isEqualTo(50);
        assertThat(minute.capacityAt(50, NOW.plusSeconds(30), NOW))
                .as("ready in the future (clock skew): just ready")
                .isEqualTo(5);
        assertThat(SlowStart.OFF.capacityAt(50, NOW, NOW)).isEqualTo(50);
        assertThatThrownBy(() -> new SlowStart(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
