package dev.voicebridge.signaling.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every problem code the service can answer is in the error-code table of docs/signaling.md, with its status, and nothing else is. */
public class ProblemCodeDocumentationTest {
    static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs/signaling.md");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{3}|4xx) \\| `([a-z0-9-]+)` \\|");

    /** Code to documented status ("4xx" for the one that carries the HTTP layer's own status). */
    static Map<String, String> documented() {
        try {
            String doc = Files.readString(DOC);
            String table = doc.substring(doc.indexOf("## Error codes"), doc.indexOf("## Configuration reference"));
            Map<String, String> rows = new TreeMap<>();
            var matcher = ROW.matcher(table);
            while (matcher.find()) {
                rows.put(matcher.group(2), matcher.group(1));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Set<String> documentedCodes() {
        return documented().keySet();
    }

    @Test
    void theErrorCodeTableListsEveryCodeWithItsStatus() {
        Map<String, String> expected = Arrays.stream(ProblemCode.values())
                .collect(Collectors.toMap(
                        ProblemCode::code,
                        c -> c == ProblemCode.REQUEST_REFUSED ? "4xx" : Integer.toString(c.status()),
                        (a, b) -> a,
                        TreeMap::new));
        assertThat(documented()).isEqualTo(expected);
    }

    @Test
    void everyHttpStatusTheServerPicksItselfMapsToADocumentedCode() {
        for (int status = 400; status < 600; status++) {
            var code = ProblemCode.forHttpStatus(status);
            assertThat(documentedCodes()).contains(code.code());
            if (code != ProblemCode.REQUEST_REFUSED && code != ProblemCode.INTERNAL) {
                assertThat(code.status()).as("status %d", status).isEqualTo(status);
            }
        }
    }
}
