package dev.voicebridge.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.helidon.server.ServerProblems.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The worker's HTTP error codes: each in docs/media-worker.md with its status, and nothing else is. */
class WorkerServerProblemsTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{3}|4xx) \\| `([a-z0-9-]+)` \\|");

    static Map<String, String> documented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "media-worker.md"));
        String section = doc.substring(doc.indexOf("### HTTP errors"));
        int next = section.indexOf("\n#", 1);
        String table = next < 0 ? section : section.substring(0, next);
        Map<String, String> rows = new TreeMap<>();
        var matcher = ROW.matcher(table);
        while (matcher.find()) {
            rows.put(matcher.group(2), matcher.group(1));
        }
        return rows;
    }

    @Test
    void theTableListsEveryCodeWithItsStatus() throws Exception {
        Map<String, String> expected = Arrays.stream(WorkerServerProblems.Code.values())
                .collect(Collectors.toMap(
                        WorkerServerProblems.Code::code,
                        c -> c == WorkerServerProblems.Code.REQUEST_REFUSED ? "4xx" : Integer.toString(c.status()),
                        (a, b) -> a,
                        TreeMap::new));
        assertThat(documented()).isEqualTo(expected);
    }

    @Test
    void everyRefusalIsAProblemWithADocumentedCodeAndOnlyOurBugsAre500() throws Exception {
        var problems = new WorkerServerProblems();
        var documented = documented();
        for (int status = 400; status < 600; status++) {
            var problem = problems.problem(Refusal.STATUS, status);
            assertThat(documented).containsKey(problem.code());
            assertThat(problem.status() == 500)
                    .as("status %d", status)
                    .isEqualTo(status >= 500 && status != 503 && status != 505);
            var json = new ObjectMapper().readTree(problem.toJson());
            assertThat(json.path("code").asText()).isEqualTo(problem.code());
            assertThat(json.path("type").asText()).endsWith("/" + problem.code());
            assertThat(json.path("status").asInt()).isEqualTo(problem.status());
        }
        assertThat(problems.problem(Refusal.MALFORMED, 500).code()).isEqualTo("malformed-request");
        assertThat(problems.problem(Refusal.MALFORMED, 500).status()).isEqualTo(400);
        assertThat(problems.problem(Refusal.HEADERS_TOO_LARGE, 400).status()).isEqualTo(431);
        assertThat(problems.problem(Refusal.STATUS, 418).status())
                .as("request-refused keeps its status")
                .isEqualTo(418);
    }
}
