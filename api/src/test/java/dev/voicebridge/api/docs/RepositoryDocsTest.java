package dev.voicebridge.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Docs and comments stand alone: they cite docs/ or the RFC and vendor pages, never design notes
 * that are not in the repository; and the README's module table names every Maven module.
 */
class RepositoryDocsTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    // Assembled so that this file does not cite them itself.
    static final List<String> OUTSIDE_NOTES =
            Stream.of("PROTOCOLS", "STACK", "ARCHITECTURE").map(n -> n + ".md").toList();
    static final Set<String> TEXT =
            Set.of("java", "md", "xml", "yaml", "yml", "properties", "sh", "tpl", "txt", "json");

    @Test
    void noSourceOrDocCitesDesignNotesOutsideTheRepository() throws IOException {
        List<String> citing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(RepositoryDocsTest::isProjectText).toList()) {
                String text;
                try {
                    text = Files.readString(file);
                } catch (MalformedInputException binary) {
                    continue;
                }
                for (String note : OUTSIDE_NOTES) {
                    if (text.contains(note)) {
                        citing.add(ROOT.relativize(file) + " cites " + note);
                    }
                }
            }
        }
        assertThat(citing).as("cite docs/ or the RFC / vendor page instead").isEmpty();
    }

    @Test
    void readmeModuleTableListsEveryModule() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        var module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertThat(modules).isNotEmpty();
        for (String name : modules) {
            assertThat(readme.contains("| `" + name + "` |") || readme.contains("| `" + name + "/` |"))
                    .as("README's module table has a row for %s", name)
                    .isTrue();
        }
    }

    static boolean isProjectText(Path file) {
        Path relative = ROOT.relativize(file);
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                return false;
            }
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Files.isRegularFile(file) && dot > 0 && TEXT.contains(name.substring(dot + 1));
    }
}
