package dev.voicebridge.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Compares a part of a resource a real run wrote with the same part of a checked-in example
 * ({@code crds/examples/}): the same fields, each in the same format (an RFC 3339 time, an
 * integer or a decimal, a state name, an address pair...). The example thereby shows only what
 * the code produces, and the code fills every field the example shows.
 */
public final class ExampleShapes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    private ExampleShapes() {}

    /** The JSON pointer's part of an example file (YAML). */
    public static JsonNode example(Path file, String pointer) {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode whole = JSON.valueToTree(Serialization.unmarshal(in, java.util.Map.class));
            return whole.at(pointer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every difference between the written part and the example's, empty when they agree. */
    public static List<String> differences(JsonNode example, Object written) {
        JsonNode actual = JSON.valueToTree(written);
        List<String> problems = new ArrayList<>();
        var expectedNames = new TreeSet<String>();
        example.fieldNames().forEachRemaining(expectedNames::add);
        var actualNames = new TreeSet<String>();
        actual.fieldNames().forEachRemaining(name -> {
            if (!actual.get(name).isNull()) {
                actualNames.add(name);
            }
        });
        if (!expectedNames.equals(actualNames)) {
            var missing = new TreeSet<>(expectedNames);
            missing.removeAll(actualNames);
            var extra = new TreeSet<>(actualNames);
            extra.removeAll(expectedNames);
            problems.add("fields: not written " + missing + ", not in the example " + extra);
        }
        for (String name : expectedNames) {
            if (actualNames.contains(name)) {
                String want = shape(example.get(name));
                String got = shape(actual.get(name));
                if (!want.equals(got)) {
                    problems.add(name + ": example " + want + " (" + example.get(name) + "), written " + got + " ("
                            + actual.get(name) + ")");
                }
            }
        }
        return problems;
    }

    /** The format of a value: its type, and for text its pattern of digits, letters and punctuation. */
    static String shape(JsonNode value) {
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "decimal";
        }
        if (value.isBoolean() || value.isContainerNode()) {
            return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
        String text = value.asText();
        if (TIME.matcher(text).matches()) {
            return "time";
        }
        if (text.startsWith("v=0\r\n")) {
            return text.endsWith("\r\n") ? "sdp" : "sdp without final CRLF";
        }
        return "text " + text.replaceAll("[0-9]+", "9").replaceAll("[A-Za-z]+", "a");
    }
}
