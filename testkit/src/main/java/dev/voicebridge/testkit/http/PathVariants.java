package dev.voicebridge.testkit.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Spellings of one path that a router may or may not treat as the same resource: matrix
 * parameters on any segment, encoded {@code ;} {@code /} {@code .}, doubled slashes, case, a
 * trailing slash, dot segments. A door that compares path strings lets some of them through.
 */
public final class PathVariants {
    private PathVariants() {}

    /** {@code path} starts with {@code /}; the result holds it first, then every variant once. */
    public static List<String> of(String path) {
        List<String> segments = List.of(path.substring(1).split("/"));
        var out = new LinkedHashSet<String>();
        out.add(path);
        for (int i = 0; i < segments.size(); i++) {
            out.add(replace(segments, i, segments.get(i) + ";x=1"));
            out.add(replace(segments, i, segments.get(i) + ";"));
            out.add(replace(segments, i, segments.get(i) + ";a=b;c=d"));
            out.add(replace(segments, i, segments.get(i) + "%3Bx=1"));
            out.add(replace(segments, i, segments.get(i) + "%3b"));
            out.add(replace(segments, i, segments.get(i).toUpperCase(Locale.ROOT)));
            out.add(replace(segments, i, capitalise(segments.get(i))));
            out.add(insert(segments, i, "."));
            out.add(insert(segments, i, "%2E"));
            out.add(insert(segments, i, "x/.."));
            out.add(insert(segments, i, "x/%2E%2E"));
            out.add(insert(segments, i, ""));
            out.add(insert(segments, i, ";x=1"));
            if (i + 1 < segments.size()) {
                out.add("/" + String.join("/", segments.subList(0, i + 1)) + "%2F"
                        + String.join("/", segments.subList(i + 1, segments.size())));
            }
        }
        out.add(path + "/");
        out.add(path + "/.");
        out.add(path + "//");
        out.add(path + ";x=1");
        out.add(path + "/;x=1");
        out.add("/" + String.join("/", segments.stream().map(s -> s + ";x=1").toList()));
        out.add(path.replace("/", "//"));
        out.add(path.replace("/", "/./"));
        out.add(path + "?x=1");
        return List.copyOf(out);
    }

    private static String replace(List<String> segments, int index, String value) {
        var copy = new ArrayList<>(segments);
        copy.set(index, value);
        return "/" + String.join("/", copy);
    }

    private static String insert(List<String> segments, int index, String value) {
        var copy = new ArrayList<>(segments);
        copy.add(index, value);
        return "/" + String.join("/", copy);
    }

    private static String capitalise(String segment) {
        return segment.isEmpty() ? segment : Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
    }
}
