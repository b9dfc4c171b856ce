package dev.voicebridge.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every log line of the three services (and their shared Helidon support) is built by one helper,
 * {@link LogLine} (or {@link CallStep}, which adds the call's resource name under {@code call=}):
 * no hand-made text, string concatenation or format placeholders, which would give lines a grep
 * for {@code event=} or {@code call=} cannot find and could carry anything into an INFO line.
 */
class LogLineUseTest {
    static final Path ROOT = Path.of("..");
    static final Pattern LOG_CALL =
            Pattern.compile("\\b(?:LOG|REFUSALS)\\.(?:info|warning|warn|severe|error|fine|finer|debug|trace|log)\\(\\s*"
                    + "(?:(?:java\\.util\\.logging\\.)?Level\\.[A-Z]+,\\s*)?(?:\"[^\"]*\",\\s*)??(\\(\\)\\s*->\\s*)?");

    @Test
    void everyLogLineIsBuiltByLogLine() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("operator", "signaling-service", "media-worker", "helidon-support")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    var call = LOG_CALL.matcher(source);
                    while (call.find()) {
                        String message = source.substring(call.end(), Math.min(source.length(), call.end() + 200));
                        // A rate-limited logger's first argument is its key, then the line's supplier.
                        boolean keyed = message.matches("(?s)\"[^\"]*\",\\s*\\(\\)\\s*->.*");
                        if (!keyed && (message.startsWith("\"") || message.startsWith("String.format"))) {
                            int line = (int)
                                    source.substring(0, call.start()).lines().count();
                            offenders.add(ROOT.relativize(file) + ":" + line + ": "
                                    + message.lines().findFirst().orElse(""));
                        }
                    }
                }
            }
        }
        assertThat(offenders).as("log messages not built by LogLine").isEmpty();
    }
}
