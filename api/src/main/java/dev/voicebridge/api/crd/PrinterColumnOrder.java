package dev.voicebridge.api.crd;

import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a generated CRD's {@code additionalPrinterColumns} in the order the resource class declares
 * its {@link AdditionalPrinterColumn} annotations. kubectl prints the columns in the CRD's order,
 * and the Fabric8 generator (7.5) sorts them by JSON path, which put Age first and Phase near the
 * end of the call board. Run by the api module's build on the generated files, before they are
 * compared with the checked-in copies; fails the build when the file does not have the shape the
 * generator writes, rather than writing a CRD it did not understand.
 *
 * <p>The rewrite is textual on purpose: re-serialising the whole CRD through another YAML writer
 * would change quoting and number formats elsewhere in the file.
 */
public final class PrinterColumnOrder {
    private static final String BLOCK = "  - additionalPrinterColumns:";
    private static final String ENTRY = "    - ";
    private static final String CONTINUATION = "      ";
    private static final String JSON_PATH = "jsonPath: \"";
    /** The resource classes whose CRDs this build step orders. */
    static final List<Class<? extends HasMetadata>> TYPES = List.of(VoiceCall.class, VoiceAgent.class);

    private PrinterColumnOrder() {}

    /** Arguments: the directory holding the generated {@code <plural>.<group>-v1.yml} files. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (Class<? extends HasMetadata> type : TYPES) {
            Path file = dir.resolve(HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type) + "-v1.yml");
            String yaml = Files.readString(file, StandardCharsets.UTF_8);
            String ordered = reorder(yaml, declaredPaths(type));
            if (!ordered.equals(yaml)) {
                Files.writeString(file, ordered, StandardCharsets.UTF_8);
            }
        }
    }

    /** The JSON paths of the class's printer columns, in declaration order. */
    public static List<String> declaredPaths(Class<?> type) {
        return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::jsonPath)
                .toList();
    }

    /** The CRD text with its printer columns in {@code order} (by JSON path); nothing else changes. */
    static String reorder(String yaml, List<String> order) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int start = lines.indexOf(BLOCK);
        if (start < 0 || lines.subList(start + 1, lines.size()).contains(BLOCK)) {
            throw new IllegalStateException("expected exactly one version with additionalPrinterColumns");
        }
        Map<String, List<String>> entries = new LinkedHashMap<>();
        int end = start + 1;
        List<String> current = null;
        for (; end < lines.size(); end++) {
            String line = lines.get(end);
            if (line.startsWith(ENTRY)) {
                current = new ArrayList<>();
                entries.put(jsonPathOf(line), current);
            } else if (!line.startsWith(CONTINUATION) || current == null) {
                break;
            }
            current.add(line);
        }
        if (!entries.keySet().equals(new HashSet<>(order)) || entries.size() != order.size()) {
            throw new IllegalStateException(
                    "generated printer columns " + entries.keySet() + " do not match the declared " + order);
        }
        List<String> block = new ArrayList<>();
        order.forEach(path -> block.addAll(entries.get(path)));
        List<String> out = new ArrayList<>(lines.subList(0, start + 1));
        out.addAll(block);
        out.addAll(lines.subList(end, lines.size()));
        return String.join("\n", out) + (yaml.endsWith("\n") ? "\n" : "");
    }

    private static String jsonPathOf(String entryLine) {
        String rest = entryLine.substring(ENTRY.length());
        if (!rest.startsWith(JSON_PATH) || !rest.endsWith("\"")) {
            // The generator writes jsonPath first (keys sorted); anything else is a shape we do not know.
            throw new IllegalStateException("unexpected printer column entry: " + entryLine);
        }
        return unescape(rest.substring(JSON_PATH.length(), rest.length() - 1));
    }

    /** A YAML double-quoted scalar's text: {@code \"} and {@code \\} (filters quote their values). */
    private static String unescape(String quoted) {
        var out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() && (quoted.charAt(i + 1) == '"' || quoted.charAt(i + 1) == '\\')) {
                c = quoted.charAt(++i);
            } else if (c == '\\') {
                throw new IllegalStateException("unsupported escape in printer column path: " + quoted);
            }
            out.append(c);
        }
        return out.toString();
    }
}
