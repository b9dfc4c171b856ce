package dev.voicebridge.api.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every voicebridge service: what Kubernetes and Helm users write
 * ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1d}, and Go's combinations such as
 * {@code 1m30s} or {@code 0.5s}), and ISO-8601 ({@code PT20S}) so older values keep working.
 */
public final class Durations {
    private static final Pattern GO_STYLE = Pattern.compile("^((\\d+(\\.\\d+)?)(ms|s|m|h|d))+$");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying which forms are accepted. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("not a duration: empty (use 500ms, 10s, 2m, 1h or PT10S)");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        if (GO_STYLE.matcher(value).matches()) {
            Duration total = Duration.ZERO;
            var part = PART.matcher(value);
            while (part.find()) {
                total = total.plus(unit(new java.math.BigDecimal(part.group(1)), part.group(2)));
            }
            return total;
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use 500ms, 10s, 2m, 1h or PT10S)", e);
        }
    }

    /** The shortest Go-style text of {@code duration} ({@code 1500ms}, {@code 20s}, {@code 4h}). */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    private static Duration unit(java.math.BigDecimal amount, String unit) {
        long nanosPerUnit =
                switch (unit) {
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    case "h" -> 3_600_000_000_000L;
                    default -> 86_400_000_000_000L;
                };
        return Duration.ofNanos(
                amount.multiply(java.math.BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    }
}
