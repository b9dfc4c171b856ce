package dev.voicebridge.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GreeterLeadInTest {
    private static final Duration LEAD_IN = Duration.ofMillis(200);
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00.500Z");

    @Test
    void whatTheAcceptsJourneyTookIsPartOfTheLeadIn() {
        assertThat(Greeter.remainingLeadIn(LEAD_IN, NOW.minusMillis(120), NOW)).isEqualTo(Duration.ofMillis(80));
    }

    @Test
    void anAcceptOlderThanTheLeadInIsGreetedAtOnce() {
        assertThat(Greeter.remainingLeadIn(LEAD_IN, NOW.minusMillis(900), NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void noAcceptTimeOrAClockAheadOfOursWaitsTheWholeLeadIn() {
        assertThat(Greeter.remainingLeadIn(LEAD_IN, null, NOW)).isEqualTo(LEAD_IN);
        assertThat(Greeter.remainingLeadIn(LEAD_IN, NOW.plusMillis(50), NOW)).isEqualTo(LEAD_IN);
    }
}
