package dev.voicebridge.api.config;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * One typed configuration key, the same in every service: its name, how its text becomes a value,
 * its default (as text, exactly as the docs show it) and what it means. A missing or blank value
 * is the default; a value that does not parse is refused with a message that names the key, so a
 * service stops at start-up instead of running with a value nobody meant.
 */
public record Setting<T>(String name, Function<String, T> parser, String defaultValue, String description) {

    /** Reads this key from {@code source} (trimmed; null or blank: the default). */
    public T read(Function<String, String> source) {
        String value = source.apply(name);
        return parse(value == null || value.isBlank() ? defaultValue : value.trim());
    }

    /** Parses {@code text} as this key's value; a failure names the key and the text. */
    public T parse(String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    public static Setting<Duration> duration(String name, String defaultValue, String description) {
        return new Setting<>(name, Durations::parse, defaultValue, description);
    }

    public static Setting<String> string(String name, String defaultValue, String description) {
        return new Setting<>(name, text -> text, defaultValue, description);
    }

    /** An integer within {@code [min, max]}. */
    public static Setting<Integer> integer(String name, String defaultValue, int min, int max, String description) {
        return new Setting<>(
                name,
                text -> {
                    int value;
                    try {
                        value = Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be an integer, was '" + text + "'");
                    }
                    if (value < min || value > max) {
                        throw new IllegalArgumentException("must be between " + min + " and " + max + ", was " + value);
                    }
                    return value;
                },
                defaultValue,
                description);
    }

    /** {@code true/yes/on/1} or {@code false/no/off/0}. */
    public static Setting<Boolean> bool(String name, String defaultValue, String description) {
        return new Setting<>(
                name,
                text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new IllegalArgumentException("must be true or false, was '" + text + "'");
                },
                defaultValue,
                description);
    }
}
