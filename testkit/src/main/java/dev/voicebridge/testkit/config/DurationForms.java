package dev.voicebridge.testkit.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The duration texts every service must read alike (Kubernetes/Go style and ISO-8601), and texts
 * every service must refuse. Each service's configuration test runs them through its own reader,
 * so a service that parses durations its own way fails there.
 */
public final class DurationForms {
    private DurationForms() {}

    /** Text → the duration it means, in every service. */
    public static final Map<String, Duration> ACCEPTED = Map.ofEntries(
            Map.entry("500ms", Duration.ofMillis(500)),
            Map.entry("0.5s", Duration.ofMillis(500)),
            Map.entry("PT0.5S", Duration.ofMillis(500)),
            Map.entry("20s", Duration.ofSeconds(20)),
            Map.entry("PT20S", Duration.ofSeconds(20)),
            Map.entry("pt20s", Duration.ofSeconds(20)),
            Map.entry("2m", Duration.ofMinutes(2)),
            Map.entry("1m30s", Duration.ofSeconds(90)),
            Map.entry("PT1M30S", Duration.ofSeconds(90)),
            Map.entry("1h", Duration.ofHours(1)),
            Map.entry("PT1H", Duration.ofHours(1)),
            Map.entry(" 10s ", Duration.ofSeconds(10)));

    /** Texts that are no duration: a bare number (which unit?), a typo, a negative, a unit alone. */
    public static final List<String> REFUSED = List.of("10", "soon", "10 s", "-5s", "s", "10sec", "1.5");
}
