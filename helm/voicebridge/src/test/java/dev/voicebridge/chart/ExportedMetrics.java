package dev.voicebridge.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series names the services really export, read from their sources, so a
 * dashboard panel cannot name a metric nobody defines.
 *
 * <ul>
 *   <li>The operator registers Micrometer meters ({@code Counter.builder("a.b")},
 *       {@code Timer.builder}, {@code Gauge.builder}) on Micrometer's Prometheus registry: dots
 *       become underscores, a counter gets {@code _total}, a timer (with fixed buckets) is a
 *       histogram in seconds ({@code _seconds_bucket}, {@code _seconds_count},
 *       {@code _seconds_sum}, {@code _seconds_max}), a gauge keeps its name. OperatorMetricsTest
 *       pins these forms.
 *   <li>signaling-service and media-worker register MicroProfile metrics ({@code counter},
 *       {@code timer}, {@code gauge} on a {@code MetricRegistry}) which Helidon publishes through
 *       Micrometer's Prometheus registry: dots become underscores, a counter gets {@code _total},
 *       a timer {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max} (Micrometer's
 *       recent maximum) and {@code _seconds{quantile=...}} (Helidon's per-process percentiles), a
 *       gauge keeps its name. The services' own ITs pin these forms
 *       ({@code signaling_webhook_requests_total}, {@code signaling_api_setup_wait_seconds_count},
 *       {@code signaling_api_pending_waiters}, {@code voicebridge_worker_calls_ended_total},
 *       {@code voicebridge_worker_calls_active},
 *       {@code voicebridge_worker_agent_response_latency_seconds_max} in WorkerRuntimeIT).
 * </ul>
 */
final class ExportedMetrics {
    static final Path ROOT = Path.of("../..");
    private static final Pattern MICROMETER =
            Pattern.compile("(Counter|Timer|Gauge)\\.builder\\(\\s*\"([a-z][a-z0-9_.]*)\"");
    private static final Pattern MP_METRIC = Pattern.compile("\\.(counter|timer|gauge)\\(\\s*\"([a-z][a-z0-9_.]*)\"");

    private ExportedMetrics() {}

    static Set<String> all() {
        Set<String> names = new TreeSet<>();
        for (String module : new String[] {"operator", "signaling-service", "media-worker"}) {
            for (String source : sources(ROOT.resolve(module).resolve("src/main/java"))) {
                names.addAll(operatorFamilies(source));
                names.addAll(microProfileMetrics(source));
            }
        }
        return names;
    }

    static Set<String> operatorFamilies(String source) {
        Set<String> names = new TreeSet<>();
        if (!source.contains("io.micrometer.core.instrument")) {
            return names;
        }
        Matcher m = MICROMETER.matcher(source);
        while (m.find()) {
            String name = m.group(2).replace('.', '_');
            switch (m.group(1)) {
                case "Counter" -> names.add(name + "_total");
                case "Timer" -> {
                    for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"}) {
                        names.add(name + "_seconds" + suffix);
                    }
                }
                default -> names.add(name);
            }
        }
        return names;
    }

    static Set<String> microProfileMetrics(String source) {
        Set<String> names = new TreeSet<>();
        if (!source.contains("org.eclipse.microprofile.metrics")) {
            return names;
        }
        Matcher m = MP_METRIC.matcher(source);
        while (m.find()) {
            String name = m.group(2).replace('.', '_');
            switch (m.group(1)) {
                case "counter" -> names.add(name + "_total");
                case "timer" -> {
                    names.add(name + "_seconds_count");
                    names.add(name + "_seconds_sum");
                    names.add(name + "_seconds_max");
                    names.add(name + "_seconds");
                }
                default -> names.add(name);
            }
        }
        return names;
    }

    private static java.util.List<String> sources(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(ExportedMetrics::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
