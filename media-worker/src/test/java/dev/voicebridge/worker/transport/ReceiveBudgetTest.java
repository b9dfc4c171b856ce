package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReceiveBudgetTest {
    private static final long WINDOW = 20_000_000L;

    @Test
    void grantsTheBudgetOncePerWindowAndRenewsItInTheNext() {
        var budget = new ReceiveBudget(3, WINDOW);
        long t = 7 * WINDOW + 1;
        assertThat(budget.tryTake(t)).isTrue();
        assertThat(budget.tryTake(t + 10)).isTrue();
        assertThat(budget.tryTake(t + 20)).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(budget.tryTake(t + 30 + i))
                    .as("flood datagram %d in the same window", i)
                    .isFalse();
        }
        assertThat(budget.tryTake(8 * WINDOW)).as("the next window").isTrue();
        assertThat(budget.tryTake(20 * WINDOW)).as("after a quiet spell").isTrue();
    }

    @Test
    void windowsFollowTheClockAcrossZeroAndNegativeNanoTimes() {
        var budget = new ReceiveBudget(1, WINDOW);
        assertThat(budget.tryTake(-1)).isTrue();
        assertThat(budget.tryTake(-WINDOW / 2)).isFalse();
        assertThat(budget.tryTake(0))
                .as("System.nanoTime may be negative: a new window at 0")
                .isTrue();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new ReceiveBudget(-1, WINDOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReceiveBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
