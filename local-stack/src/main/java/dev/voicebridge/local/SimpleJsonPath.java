package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset CRD printer columns use in practice, evaluated like kubectl's JSONPath for a
 * single result: {@code .a.b}, optional braces ({@code {.a.b}}), array indices ({@code .a[0].b}).
 * Anything else (filters, wildcards, ranges) finds nothing, so the cell is empty rather than
 * wrong.
 */
final class SimpleJsonPath {
    private static final Pattern STEP = Pattern.compile("([A-Za-z0-9_\\-]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

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
        for (String step : p.substring(1).split("\\.", -1)) {
            Matcher m = STEP.matcher(step);
            if (!m.matches()) {
                return MissingNode.getInstance();
            }
            node = node.path(m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                node = node.path(Integer.parseInt(index.group(1)));
            }
        }
        return node;
    }
}
