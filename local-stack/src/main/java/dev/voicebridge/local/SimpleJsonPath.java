package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset CRD printer columns use in practice, evaluated like kubectl's JSONPath for a
 * single result: {@code .a.b}, optional braces ({@code {.a.b}}), array indices ({@code .a[0].b})
 * and equality filters on a field of the array's elements, the first match taken
 * ({@code .status.conditions[?(@.type=="Ready")].status}). Anything else (wildcards, ranges, other
 * operators) finds nothing, so the cell is empty rather than wrong.
 */
final class SimpleJsonPath {
    /** A field name followed by any number of {@code [n]} or {@code [?(@.f=="v")]} selectors. */
    private static final Pattern STEP = Pattern.compile(
            "([A-Za-z0-9_\\-]+)((?:\\[\\d+]|\\[\\?\\(@\\.[A-Za-z0-9_\\-]+==(?:\"[^\"]*\"|'[^']*')\\)])*)");

    private static final Pattern SELECTOR =
            Pattern.compile("\\[(\\d+)]|\\[\\?\\(@\\.([A-Za-z0-9_\\-]+)==(?:\"([^\"]*)\"|'([^']*)')\\)]");

    private SimpleJsonPath() {}

    static JsonNode find(JsonNode root, String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1).trim();
        }
        if (!p.startsWith(".")) {
            return MissingNode.getInstance();
        }
        JsonNode node = root;
        for (String step : steps(p.substring(1))) {
            Matcher m = STEP.matcher(step);
            if (!m.matches()) {
                return MissingNode.getInstance();
            }
            node = node.path(m.group(1));
            Matcher selector = SELECTOR.matcher(m.group(2));
            while (selector.find()) {
                node = selector.group(1) != null
                        ? node.path(Integer.parseInt(selector.group(1)))
                        : firstWhere(
                                node,
                                selector.group(2),
                                selector.group(3) != null ? selector.group(3) : selector.group(4));
            }
        }
        return node;
    }

    private static JsonNode firstWhere(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.path(field).isValueNode()
                    && element.path(field).asText().equals(value)) {
                return element;
            }
        }
        return MissingNode.getInstance();
    }

    /** The path split at the dots outside filter brackets. */
    private static java.util.List<String> steps(String path) {
        var steps = new java.util.ArrayList<String>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                steps.add(path.substring(start, i));
                start = i + 1;
            }
        }
        steps.add(path.substring(start));
        return steps;
    }
}
