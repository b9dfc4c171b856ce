package dev.voicebridge.operator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Placement and the lifecycle decisions stay pure: no Kubernetes client, no JOSDK, no I/O. */
class PureDecisionsTest {
    static final Path MAIN = Path.of("src/main/java/dev/voicebridge/operator");
    static final List<String> FORBIDDEN = List.of("io.fabric8", "io.javaoperatorsdk", "java.net", "java.io");

    @Test
    void decisionClassesImportNoClientOrIo() throws IOException {
        List<Path> pure;
        try (Stream<Path> placement = Files.list(MAIN.resolve("placement"))) {
            pure = Stream.concat(
                            placement,
                            Stream.of("CallDecider", "CallFacts", "Decision", "Timeouts", "ActionState", "WorkerHealth")
                                    .map(name -> MAIN.resolve("lifecycle").resolve(name + ".java")))
                    .toList();
        }
        assertThat(pure).hasSizeGreaterThan(8);
        for (Path file : pure) {
            List<String> imports = Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith("import "))
                    .toList();
            assertThat(imports).as("imports of %s", file.getFileName()).noneMatch(line -> FORBIDDEN.stream()
                    .anyMatch(line::contains));
        }
    }
}
