package dev.voicebridge.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when a configuration key read in code, or set in application.yaml, is missing from the
 * configuration reference in docs/signaling.md, or when the documented default differs from the
 * shipped one.
 */
class ConfigDocumentationTest {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path DOC = MODULE.getParent().resolve("docs/signaling.md");

    static List<String> keysInCode() throws Exception {
        List<String> keys = new ArrayList<>();
        for (var field : ConfigKeys.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                keys.add((String) field.get(null));
            }
        }
        // Any "voicebridge.x.y" literal elsewhere in main code must be a ConfigKeys constant too.
        var literal = Pattern.compile("\"(voicebridge\\.[a-z0-9.-]+)\"");
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                var matcher = literal.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).startsWith("voicebridge.dev")) {
                        keys.add(matcher.group(1));
                    }
                }
            }
        }
        return keys.stream().distinct().toList();
    }

    @Test
    void everyKeyReadInCodeIsDocumentedWithTheDefaultShippedInApplicationYaml() throws Exception {
        String doc = Files.readString(DOC);
        var yaml = new org.yaml.snakeyaml.Yaml();
        java.util.Map<String, Object> defaults;
        try (var in = Files.newInputStream(MODULE.resolve("src/main/resources/application.yaml"))) {
            defaults = flatten("", yaml.load(in));
        }
        for (var deprecated : ConfigKeys.DEPRECATED_MILLIS.entrySet()) {
            assertThat(doc)
                    .as("docs/signaling.md lists deprecated %s", deprecated.getKey())
                    .contains("| `" + deprecated.getKey() + "` | `" + deprecated.getValue() + "` |");
            assertThat(defaults)
                    .as("application.yaml must not set deprecated %s", deprecated.getKey())
                    .doesNotContainKey(deprecated.getKey());
        }
        for (String key : keysInCode()) {
            if (ConfigKeys.DEPRECATED_MILLIS.containsKey(key)) {
                continue;
            }
            assertThat(doc).as("docs/signaling.md documents %s", key).contains("`" + key + "`");
            assertThat(defaults)
                    .as("application.yaml sets a default for %s", key)
                    .containsKey(key);
            String value = String.valueOf(defaults.get(key));
            String shipped = value.isEmpty() ? "\"\"" : value;
            var row = Pattern.compile("\\| `" + Pattern.quote(key) + "` \\| `([^`]*)` \\|")
                    .matcher(doc);
            assertThat(row.find())
                    .as("a table row | `%s` | `<default>` | in docs/signaling.md", key)
                    .isTrue();
            assertThat(row.group(1)).as("documented default of %s", key).isEqualTo(shipped);
        }
        for (String key : defaults.keySet()) {
            assertThat(doc)
                    .as("docs/signaling.md documents application.yaml key %s", key)
                    .contains("`" + key + "`");
        }
    }

    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> flatten(String prefix, Object node) {
        java.util.Map<String, Object> out = new java.util.TreeMap<>();
        if (node instanceof java.util.Map<?, ?> map) {
            map.forEach((k, v) -> out.putAll(flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v)));
        } else {
            out.put(prefix, node == null ? "" : node);
        }
        return out;
    }
}
