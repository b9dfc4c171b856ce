package dev.voicebridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The problem codes each service documents, read from docs/ (each service's own test keeps its
 * table and its code in step): a code outside its service's table is a failure whatever else is
 * right about the answer.
 */
final class DocumentedProblems {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{3}|4xx) \\| `([a-z0-9-]+)` \\|");

    private DocumentedProblems() {}

    /** docs/signaling.md, "Error codes". */
    static Set<String> signaling() {
        return table("signaling.md", "## Error codes", "## Configuration reference");
    }

    /** docs/media-worker.md, "HTTP errors". */
    static Set<String> mediaWorker() {
        return table("media-worker.md", "### HTTP errors", "\n#");
    }

    /**
     * The operator's health and metrics port answers its own refusals as problem+json
     * {@code not-found} and {@code method-not-allowed} (docs/operator.md, "Runtime choices").
     */
    static Set<String> operator() {
        String doc = read("operator.md");
        Set<String> codes = Set.of("not-found", "method-not-allowed");
        for (String code : codes) {
            if (!doc.contains("(`" + code + "`")) {
                throw new IllegalStateException("docs/operator.md no longer documents " + code);
            }
        }
        return codes;
    }

    private static Set<String> table(String file, String from, String to) {
        String doc = read(file);
        int start = doc.indexOf(from);
        if (start < 0) {
            throw new IllegalStateException("docs/" + file + " has no section " + from);
        }
        int end = doc.indexOf(to, start + from.length());
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Set<String> codes = new TreeSet<>();
        var rows = ROW.matcher(section);
        while (rows.find()) {
            codes.add(rows.group(2));
        }
        return codes;
    }

    private static String read(String file) {
        Path home = Path.of(System.getProperty("voicebridge.home", ".."))
                .toAbsolutePath()
                .normalize();
        try {
            return Files.readString(home.resolve("docs").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
