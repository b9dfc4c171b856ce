package dev.voicebridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the service processes wrote (E2eStack keeps one file per process), judged by shape rather
 * than format: a stack trace is a line that starts like a frame ({@code \tat ...}, {@code at
 * pkg.Class.method(}), a cause ({@code Caused by:}) or an elision ({@code ... 12 more}), whatever
 * the log line format around it.
 */
final class ServiceLogs {
    private static final Pattern STACK_TRACE =
            Pattern.compile("^(\\tat |\\s+at [\\w$.]+\\(|Caused by: |\\s*\\.\\.\\. \\d+ more$|\\s*Suppressed: )");

    private final E2eStack stack;

    ServiceLogs(E2eStack stack) {
        this.stack = stack;
    }

    /** Lines per service so far: a mark to count what was written after it. */
    Map<String, Integer> mark() {
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (String service : stack.serviceNames()) {
            lines.put(service, read(service).size());
        }
        return lines;
    }

    /** Lines each service wrote since {@code mark}. */
    Map<String, Integer> since(Map<String, Integer> mark) {
        Map<String, Integer> written = new LinkedHashMap<>();
        mark().forEach((service, lines) -> written.put(service, lines - mark.getOrDefault(service, 0)));
        return written;
    }

    /** Per service, the stack-trace lines it wrote, each with the line that introduced it. */
    Map<String, List<String>> stackTraces() {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (String service : stack.serviceNames()) {
            List<String> lines = read(service);
            List<String> traces = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (STACK_TRACE.matcher(lines.get(i)).find()
                        && (i == 0 || !STACK_TRACE.matcher(lines.get(i - 1)).find())) {
                    traces.add((i > 0 ? lines.get(i - 1) + " | " : "")
                            + lines.get(i).strip());
                }
            }
            if (!traces.isEmpty()) {
                found.put(service, traces);
            }
        }
        return found;
    }

    /** The last {@code n} lines of each service's log matching {@code pattern}. */
    List<String> grep(String service, Pattern pattern, int n) {
        List<String> hits =
                read(service).stream().filter(l -> pattern.matcher(l).find()).toList();
        return hits.subList(Math.max(0, hits.size() - n), hits.size());
    }

    private List<String> read(String service) {
        try {
            return Files.readAllLines(stack.log(service), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
