package dev.voicebridge.worker.config;

import java.util.Map;
import java.util.function.Function;

/** How every settings record of the worker reads its keys: one parser, one rule for defaults. */
public final class SettingKeys {
    private SettingKeys() {}

    /**
     * Reads {@code prefix + key} from {@code source}, trimmed; a missing or blank value is the
     * key's default from {@code defaults}.
     */
    public static Function<String, String> reader(
            String prefix, Map<String, String> defaults, Function<String, String> source) {
        return key -> {
            String value = source.apply(prefix + key);
            return value == null || value.isBlank() ? defaults.get(key) : value.trim();
        };
    }
}
