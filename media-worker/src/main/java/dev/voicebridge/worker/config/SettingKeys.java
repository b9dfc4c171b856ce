package dev.voicebridge.worker.config;

import dev.voicebridge.api.config.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * How every settings record of the worker reads its keys: one parser per type (the services'
 * shared {@link Setting}), one rule for defaults, and errors that name the full key.
 */
public final class SettingKeys {
    private SettingKeys() {}

    /**
     * Reads {@code prefix + key} from {@code source}, trimmed; a missing or blank value is the
     * key's default from {@code defaults}.
     */
    public static Reader reader(String prefix, Map<String, String> defaults, Function<String, String> source) {
        return new Reader(prefix, defaults, source);
    }

    /** The keys under one prefix; {@link #apply} gives the text, the other methods a typed value. */
    public record Reader(String prefix, Map<String, String> defaults, Function<String, String> source)
            implements Function<String, String> {

        @Override
        public String apply(String key) {
            return Setting.string(prefix + key, defaults.get(key), "").read(source);
        }

        /** A duration: {@code 500ms}, {@code 20s}, {@code 4h}, or ISO-8601 ({@code PT20S}). */
        public Duration duration(String key) {
            return Setting.duration(prefix + key, defaults.get(key), "").read(source);
        }

        /** Any int; a value that is not one is refused naming the key. */
        public int integer(String key) {
            return Setting.integer(prefix + key, defaults.get(key), Integer.MIN_VALUE, Integer.MAX_VALUE, "")
                    .read(source);
        }
    }
}
