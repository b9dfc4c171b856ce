package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration reference in docs/media-pipeline.md lists every key, with its default. */
class MediaConfigDocsTest {
    @Test
    void everyKeyIsDocumentedWithItsDefault() throws Exception {
        Path doc = Path.of("..", "docs", "media-pipeline.md");
        List<String> rows = Files.readAllLines(doc).stream()
                .filter(l -> l.startsWith("| `"))
                .toList();
        for (var component : MediaConfig.class.getRecordComponents()) {
            Object value = component.getAccessor().invoke(MediaConfig.DEFAULTS);
            String expected = value instanceof Duration d ? d.toSeconds() + " s" : String.valueOf(value);
            assertThat(rows)
                    .as("docs/media-pipeline.md row for %s", component.getName())
                    .anySatisfy(
                            row -> assertThat(row).startsWith("| `" + component.getName() + "` | " + expected + " |"));
        }
        assertThat(rows).hasSize(MediaConfig.class.getRecordComponents().length);
    }
}
