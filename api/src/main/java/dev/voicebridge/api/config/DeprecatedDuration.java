package dev.voicebridge.api.config;

import dev.voicebridge.api.log.LogLine;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A key of an earlier release that held an integer number of {@code unit}s (its name ended in
 * {@code -millis} or {@code -seconds}) and that a duration key, {@code replacement}, took over. It is
 * still read, with one WARN line at start-up that names the replacement, so upgrading never
 * silently drops a value somebody set.
 */
public record DeprecatedDuration(String name, String replacement, ChronoUnit unit) {
    private static final Logger LOG = Logger.getLogger(DeprecatedDuration.class.getName());

    public static DeprecatedDuration millis(String name, String replacement) {
        return new DeprecatedDuration(name, replacement, ChronoUnit.MILLIS);
    }

    public static DeprecatedDuration seconds(String name, String replacement) {
        return new DeprecatedDuration(name, replacement, ChronoUnit.SECONDS);
    }

    /**
     * Reads {@code setting}, or the deprecated key among {@code deprecated} that it replaced when
     * that key is set and either {@code setting} is not, or {@code stronger.test(old, new)} says the
     * old key's value comes from a stronger source (an environment variable beats a shipped
     * default). A bad value in either stops start-up with a message naming the key.
     */
    public static Duration read(
            Setting<Duration> setting,
            Collection<DeprecatedDuration> deprecated,
            Function<String, String> source,
            BiPredicate<String, String> stronger) {
        for (DeprecatedDuration old : deprecated) {
            if (!old.replacement().equals(setting.name())) {
                continue;
            }
            String oldValue = source.apply(old.name());
            String current = source.apply(setting.name());
            if (isSet(oldValue) && (!isSet(current) || stronger.test(old.name(), setting.name()))) {
                return old.take(oldValue);
            }
        }
        return setting.read(source);
    }

    /** {@code text} as this key's value (an integer of {@link #unit}), logging the one WARN line. */
    Duration take(String text) {
        Duration value =
                Duration.of(Setting.integer(name, "0", 0, Integer.MAX_VALUE, "").parse(text.trim()), unit);
        LOG.warning(LogLine.of("config-deprecated", "key", name, "use", replacement, "as", Durations.format(value)));
        return value;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
