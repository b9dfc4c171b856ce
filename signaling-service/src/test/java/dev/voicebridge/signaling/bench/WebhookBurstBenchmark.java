package dev.voicebridge.signaling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.security.WebhookSignature;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Load benchmark, not part of {@code verify}: one service instance receives an open-loop burst of
 * signed connect webhooks at a fixed rate (default 200/s for 10 s) and must answer every one 200
 * with its VoiceCall created. Latency is measured from each webhook's scheduled send time (no
 * coordinated omission). Run:
 *
 * <pre>
 * ./mvnw -B -pl signaling-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=WebhookBurstBenchmark -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true
 * </pre>
 *
 * Tunables: {@code -Dbench.rate=200 -Dbench.seconds=10}. Results also go to
 * {@code signaling-service/target/benchmarks/webhook-burst.txt}.
 */
class WebhookBurstBenchmark {
    static final int RATE = Integer.getInteger("bench.rate", 200);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    @Test
    void burstOfSignedConnectWebhooks() throws Exception {
        try (var server = SignalingTestServer.start(Map.of("voicebridge.webhook.stale-event-age", "10m"))) {
            run(server, "warmup", RATE / 2, 4);
            var result = run(server, "burst", RATE, SECONDS);
            String report = result.report();
            System.out.println(report);
            Path out = Path.of("target/benchmarks/webhook-burst.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            assertThat(result.non200()).as("webhooks not answered 200").isZero();
            assertThat(result.missing())
                    .as("webhooks answered but without their VoiceCall")
                    .isZero();
        }
    }

    record Result(
            String phase,
            int rate,
            int sent,
            int non200,
            int missing,
            long[] latenciesMicros,
            double cpuMillisPerWebhook,
            double wallSeconds,
            Map<String, Double> cpuMillisPerWebhookByThreadGroup,
            String loadBefore,
            String loadAfter) {
        long percentile(double p) {
            int index = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, Math.min(index, latenciesMicros.length - 1))];
        }

        String report() {
            return String.format(
                    "signaling webhook burst: %d webhooks at %d/s (%.1f s wall), non-200=%d, missing VoiceCalls=%d%n"
                            + "latency from scheduled send (ms): p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f%n"
                            + "process CPU per webhook (service + mock API server + load generator, one JVM): %.2f ms%n"
                            + "  by thread group (ms per webhook): %s%n"
                            + "cores=%d java=%s loadavg(1m) before=%s after=%s%n",
                    sent,
                    rate,
                    wallSeconds,
                    non200,
                    missing,
                    percentile(50) / 1000.0,
                    percentile(90) / 1000.0,
                    percentile(99) / 1000.0,
                    percentile(99.9) / 1000.0,
                    latenciesMicros[latenciesMicros.length - 1] / 1000.0,
                    cpuMillisPerWebhook,
                    cpuMillisPerWebhookByThreadGroup.entrySet().stream()
                            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                            .map(e -> String.format("%s=%.2f", e.getKey(), e.getValue()))
                            .toList(),
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version(),
                    loadBefore,
                    loadAfter);
        }
    }

    record ThreadCpu(String group, long nanos) {}

    /** The machine's 1-minute load average: on a shared machine it explains latency outliers. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    /**
     * CPU per live platform thread, grouped by what runs there: Helidon's request handling runs on
     * virtual threads whose carriers are the ForkJoinPool workers; the Fabric8 mock API server runs
     * on Vert.x/Netty event loops; JDK HttpClient threads serve both the service's Kubernetes client
     * and the load generator.
     */
    static Map<Long, ThreadCpu> threadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        Map<Long, ThreadCpu> out = new java.util.HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = mx.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                out.put(info.getThreadId(), new ThreadCpu(group(info.getThreadName()), nanos));
            }
        }
        return out;
    }

    static String group(String name) {
        if (name.startsWith("ForkJoinPool-") || name.startsWith("VirtualThread")) {
            return "service-request-carriers";
        }
        if (name.startsWith("vert.x") || name.contains("eventloop") || name.startsWith("MockWebServer")) {
            return "mock-api-server";
        }
        if (name.startsWith("HttpClient")) {
            return "jdk-httpclient";
        }
        if (name.startsWith("bench-")) {
            return "load-generator";
        }
        if (name.contains("Informer") || name.contains("informer") || name.startsWith("-")) {
            return "informers";
        }
        if (name.startsWith("GC") || name.contains("G1") || name.startsWith("C1") || name.startsWith("C2")) {
            return "jvm-gc-jit";
        }
        return "other:" + name.replaceAll("[0-9]+", "N");
    }

    static Result run(SignalingTestServer server, String phase, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var latencies = new AtomicLongArray(total);
        var statuses = new int[total];
        List<String> ids = new ArrayList<>(total);
        List<byte[]> bodies = new ArrayList<>(total);
        List<String> signatures = new ArrayList<>(total);
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < total; i++) {
            String id = "wacid.bench-" + phase + "-" + i + "-" + System.nanoTime();
            String json = Fixtures.connect(id, now);
            ids.add(id);
            bodies.add(json.getBytes(StandardCharsets.UTF_8));
            signatures.add(WebhookSignature.headerFor(SignalingTestServer.APP_SECRET, json));
        }
        var scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-scheduler"));
        List<CompletableFuture<Void>> done = new ArrayList<>(total);
        String loadBefore = loadAverage();
        var threadsBefore = threadCpu();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        try {
            for (int i = 0; i < total; i++) {
                final int n = i;
                long due = start + n * intervalNanos;
                var future = new CompletableFuture<Void>();
                done.add(future);
                scheduler.schedule(
                        () -> {
                            var request = HttpRequest.newBuilder(server.uri("/webhooks/whatsapp"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .header("X-Hub-Signature-256", signatures.get(n))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(n)))
                                    .build();
                            server.http()
                                    .sendAsync(request, HttpResponse.BodyHandlers.discarding())
                                    .whenComplete((response, error) -> {
                                        latencies.set(n, (System.nanoTime() - due) / 1000);
                                        statuses[n] = error == null ? response.statusCode() : -1;
                                        future.complete(null);
                                    });
                        },
                        due - System.nanoTime(),
                        TimeUnit.NANOSECONDS);
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(seconds + 60L, TimeUnit.SECONDS);
        } finally {
            scheduler.shutdownNow();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        var threadsAfter = threadCpu();
        Map<String, Double> byGroup = new java.util.TreeMap<>();
        threadsAfter.forEach((id, after) -> {
            long before = threadsBefore.containsKey(id) ? threadsBefore.get(id).nanos() : 0;
            byGroup.merge(after.group(), (after.nanos() - before) / 1e6 / total, Double::sum);
        });
        int non200 = 0;
        for (int status : statuses) {
            if (status != 200) {
                non200++;
            }
        }
        Set<String> existing = new HashSet<>();
        server.calls().forEach(c -> existing.add(c.getMetadata().getName()));
        int missing = (int) ids.stream()
                .filter(id -> !existing.contains(CallNames.forCallId(id)))
                .count();
        long[] sorted = new long[total];
        for (int i = 0; i < total; i++) {
            sorted[i] = latencies.get(i);
        }
        java.util.Arrays.sort(sorted);
        var result = new Result(
                phase,
                rate,
                total,
                non200,
                missing,
                sorted,
                cpu / 1e6 / total,
                wall,
                byGroup,
                loadBefore,
                loadAverage());
        System.out.println(phase + ": " + result.report());
        return result;
    }
}
