package dev.voicebridge.e2e;

import static dev.voicebridge.e2e.LevelResult.ms;
import static dev.voicebridge.e2e.LevelResult.percentile;

import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.EncodedAudio;
import dev.voicebridge.testkit.phone.LoadProfile;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Setup latency (issue 12): {@code POST /v1/calls} → {@code 201} with the SDP answer, at rising
 * fixed rates of new calls after a warm-up, and the first call after start. Not part of {@code verify}: one command
 * runs it (docs/benchmarks.md, "Setup latency"). The product runs as in e2e (operator,
 * signaling-service, ONE media worker as processes, production settings); every call is a
 * WhatsApp-like synthetic phone that takes the answer, connects, is accepted
 * ({@code POST /v1/calls/{id}/accepted}) and is hung up {@code bench.hold} after its answer, so
 * few calls run at once and the figures are the control plane's, not a loaded media engine's.
 *
 * <p>It reports, per rate: request → 201 per call (open loop: from each call's scheduled time) and
 * by hop ({@link SetupTimeline}), {@code /accepted} → the worker's media start, the in-memory API
 * server's own write → watch-event latency meanwhile ({@link ApiProbe}, harness, not product), the
 * CPU each process spent per call, and the API requests per call by what they write.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SetupBenchmark {
    private static final String WORKER = "worker-a";

    record Settings(
            List<Double> rates,
            Duration duration,
            Duration hold,
            Path out,
            String workerJvm,
            String controlPlaneJvm,
            int warmUpCalls,
            double warmUpRate,
            Duration settle) {
        static Settings fromSystemProperties() {
            return new Settings(
                    java.util.Arrays.stream(
                                    System.getProperty("bench.rates", "5,10,20").split(","))
                            .map(r -> Double.parseDouble(r.trim()))
                            .toList(),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "10"))),
                    Duration.ofMillis(Long.parseLong(System.getProperty("bench.holdMillis", "2000"))),
                    Path.of(System.getProperty("bench.out", "target/benchmarks")),
                    System.getProperty("bench.workerJvm", WorkerJvm.IMAGE_LIKE),
                    System.getProperty("bench.controlPlaneJvm", ""),
                    Integer.parseInt(System.getProperty("bench.warmUpCalls", "1500")),
                    Double.parseDouble(System.getProperty("bench.warmUpRate", "10")),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("bench.settle", "15"))));
        }

        int calls(double rate) {
            return (int) Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        }
    }

    /** One rate's calls, with what the processes spent and the API server's requests meanwhile. */
    record Level(
            double rate,
            List<SetupTimeline.Times> calls,
            ApiProbe probe,
            Map<String, ProcessSample> cpuBefore,
            Map<String, ProcessSample> cpuAfter,
            Map<String, Integer> requests,
            String loadAfter) {}

    @Test
    void setup() throws Exception {
        TestNetwork.requireNamespace();
        var settings = Settings.fromSystemProperties();
        var options = E2eStack.Options.benchmark(WORKER, 100_000, settings.workerJvm(), settings.controlPlaneJvm());
        String loadBefore = loadAverage() + "; " + MachineSpeed.measure();
        try (var stack = new E2eStack("SetupBenchmark", options);
                var timeline = new SetupTimeline(stack)) {
            stack.realtime.recording(false).greetWith(ResponseAudio.tone(660, 500));
            var api = new Webhooks(stack.signaling);
            // Load phones: they replay 1 s of pre-encoded silence and never decode, so the load
            // generator (which also hosts the API server) spends little on them.
            var silence = new LoadProfile(
                    EncodedAudio.encode(new short[50 * PcmSource.FRAME_SAMPLES], 300), 0, Duration.ofSeconds(5));
            // The first call after start, alone (as a service's first call usually is), then the
            // warm-up, which lets the JIT compile the set-up paths as a service running for hours
            // has long done.
            var first = calls(stack, timeline, api, settings, silence, "first", 1, 1);
            calls(stack, timeline, api, settings, silence, "warmup", settings.warmUpCalls(), settings.warmUpRate());
            // Let the compile queues the warm-up filled drain before the first measured rate.
            pause(settings.settle());
            var levels = new ArrayList<Level>();
            for (double rate : settings.rates()) {
                pause(Duration.ofSeconds(3));
                drainRequests(stack);
                try (var probe = new ApiProbe(stack.kube.client(), Duration.ofMillis(100))) {
                    var cpuBefore = cpuSamples(stack);
                    String prefix = String.format(Locale.ROOT, "setup-%.0f", rate);
                    var calls = calls(stack, timeline, api, settings, silence, prefix, settings.calls(rate), rate);
                    var cpuAfter = cpuSamples(stack);
                    levels.add(new Level(rate, calls, probe, cpuBefore, cpuAfter, drainRequests(stack), loadAverage()));
                }
            }
            timeline.logged(stack.serviceLogs());
            String report = report(settings, levels, first, loadBefore);
            System.out.println(report);
            Files.createDirectories(settings.out());
            Files.writeString(settings.out().resolve("setup.md"), report, StandardCharsets.UTF_8);
        }
    }

    /** {@code count} calls at {@code rate} a second, each on its own virtual thread, to their end. */
    private static List<SetupTimeline.Times> calls(
            E2eStack stack,
            SetupTimeline timeline,
            Webhooks api,
            Settings settings,
            LoadProfile audio,
            String prefix,
            int count,
            double rate)
            throws InterruptedException, IOException {
        var calls = new ArrayList<SetupTimeline.Times>();
        var phones = new ArrayList<SyntheticPhone>();
        var threads = new ArrayList<Thread>();
        try {
            long start = System.nanoTime();
            long interval = (long) (1e9 / rate);
            for (int i = 0; i < count; i++) {
                var phone = stack.phones.newPhone(
                        new InetSocketAddress(E2eStack.PHONE_ADDRESS, 0), PhoneOptions.load(audio));
                phones.add(phone);
                String callId = "wacid." + prefix + "-" + i;
                var times = timeline.of(callId);
                calls.add(times);
                long scheduled = start + i * interval;
                int index = i;
                threads.add(Thread.ofVirtual()
                        .name(prefix + "-call-" + i)
                        .start(() -> call(api, settings, index, callId, phone, times, scheduled)));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(120));
            }
            return calls;
        } finally {
            phones.forEach(SyntheticPhone::close);
        }
    }

    /** One call: set up, connect, accept, hold, hang up, wait for its end. */
    private static void call(
            Webhooks api,
            Settings settings,
            int index,
            String callId,
            SyntheticPhone phone,
            SetupTimeline.Times times,
            long scheduledNanos) {
        LockSupport.parkNanos(scheduledNanos - System.nanoTime());
        String path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
        try {
            var body = Webhooks.json()
                    .createObjectNode()
                    .put("callId", callId)
                    .put("sdpOffer", phone.offer())
                    .put("from", "44770091" + String.format(Locale.ROOT, "%04d", index % 10_000))
                    .put("to", "15550001906")
                    .put("phoneNumberId", E2eStack.PHONE_NUMBER_ID)
                    .put("acceptBy", "caller");
            times.posted = SetupTimeline.nowMicros();
            var created = api.api("POST", "/v1/calls", body.toString());
            long returned = SetupTimeline.nowMicros();
            double setupMillis = (System.nanoTime() - scheduledNanos) / 1e6;
            times.httpStatus = created.statusCode();
            long answeredNanos = System.nanoTime();
            if (created.statusCode() != 201) {
                System.out.println("call " + index + ": POST /v1/calls " + created.statusCode() + " " + created.body());
                return;
            }
            // Only answers count as setups; the others are counted by status in the report.
            times.answered201 = returned;
            times.setupMillis = setupMillis;
            phone.acceptAnswer(
                    Webhooks.json().readTree(created.body()).path("sdpAnswer").asText());
            if (phone.awaitConnected(Duration.ofSeconds(20))) {
                times.acceptSent = SetupTimeline.nowMicros();
                int accepted = api.api("POST", path + "/accepted", "").statusCode();
                times.accepted204 = SetupTimeline.nowMicros();
                if (accepted != 204) {
                    System.out.println("call " + index + ": POST …/accepted " + accepted);
                }
            } else {
                System.out.println("call " + index + ": media not connected " + phone.stats());
            }
            LockSupport.parkNanos(answeredNanos + settings.hold().toNanos() - System.nanoTime());
            api.api("DELETE", path, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!times.ended && System.nanoTime() < deadline) {
                pause(Duration.ofMillis(50));
            }
        } catch (Exception e) {
            System.out.println("call " + index + ": " + e);
        }
    }

    static String report(Settings s, List<Level> levels, List<SetupTimeline.Times> firstCall, String loadBefore) {
        var out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Setup latency by call rate, %d s of new calls at each, after a warm-up of %d calls at %.0f calls/s"
                        + " (the first call after start came alone before it); each call hung up %d ms after its"
                        + " answer (%s; load average before: %s)%n%n",
                s.duration().toSeconds(),
                s.warmUpCalls(),
                s.warmUpRate(),
                s.hold().toMillis(),
                Instant.now(),
                loadBefore));
        out.append("| calls/s | answered | request → 201 p50 / p99 | placement p50 | `/accepted` → media p50 |"
                + " API merge patch p50 | cores, all four processes (of it the JIT compilers) | CPU ms per call"
                + " without the JIT compilers: signaling / operator / worker / harness |"
                + "\n|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Level level : levels) {
            var hops = SetupTimeline.hops(level.calls());
            double[] setup = hops.values().iterator().next();
            double cores = level.cpuAfter().entrySet().stream()
                    .mapToDouble(e -> e.getValue().coresSince(level.cpuBefore().get(e.getKey())))
                    .sum();
            double jit = level.cpuAfter().entrySet().stream()
                    .mapToDouble(e -> jitCores(level.cpuBefore().get(e.getKey()), e.getValue()))
                    .sum();
            String perCall = level.cpuAfter().entrySet().stream()
                    .map(e -> {
                        ProcessSample start = level.cpuBefore().get(e.getKey());
                        double withoutJit = e.getValue().coresSince(start) - jitCores(start, e.getValue());
                        return String.format(
                                Locale.ROOT,
                                "%.1f",
                                msPerCall(
                                        withoutJit,
                                        start,
                                        e.getValue(),
                                        level.calls().size()));
                    })
                    .collect(java.util.stream.Collectors.joining(" / "));
            out.append(String.format(
                    Locale.ROOT,
                    "| %.0f | %d of %d | %s / %s ms | %s ms | %s ms | %s ms | %.2f (%.2f) | %s |%n",
                    level.rate(),
                    setup.length,
                    level.calls().size(),
                    ms(percentile(setup, 50)),
                    ms(percentile(setup, 99)),
                    ms(percentile(hops.get(SetupTimeline.PLACEMENT), 50)),
                    ms(percentile(hops.get(SetupTimeline.ACCEPTED_TO_MEDIA), 50)),
                    ms(percentile(level.probe().writeMillis(), 50)),
                    cores,
                    jit,
                    perCall));
        }
        double[] firstSetup = SetupTimeline.hops(firstCall).values().iterator().next();
        out.append(String.format(
                Locale.ROOT,
                "%nThe first call after start (alone): request → 201 in %s ms (its hops: the last column below).%n",
                ms(firstSetup.length == 0 ? Double.NaN : firstSetup[0])));
        for (Level level : levels) {
            out.append(String.format(
                    Locale.ROOT,
                    "%n### %.0f calls/s (%d calls; load average after: %s)%n%n",
                    level.rate(),
                    level.calls().size(),
                    level.loadAfter()));
            var outcomes = new java.util.TreeMap<Integer, Integer>();
            level.calls().forEach(t -> outcomes.merge(t.httpStatus, 1, Integer::sum));
            out.append("`POST /v1/calls` answers by status: ").append(outcomes).append("\n\n");
            out.append("| hop | calls | p50 | p99 | max | first call after start |\n|---|---:|---:|---:|---:|---:|\n");
            var first = SetupTimeline.hops(firstCall);
            SetupTimeline.hops(level.calls()).forEach((hop, values) -> {
                double[] f = first.get(hop);
                out.append(row(hop, values, f.length == 0 ? Double.NaN : f[0]));
            });
            out.append(row(
                    "in-memory API server: merge patch request → response (harness)",
                    level.probe().writeMillis(),
                    Double.NaN));
            out.append(row(
                    "in-memory API server: merge patch sent → watch event (harness)",
                    level.probe().eventMillis(),
                    Double.NaN));
            out.append(cpu(level.cpuBefore(), level.cpuAfter(), level.calls().size()));
            out.append(requests(level.requests(), level.calls().size()));
        }
        return out.toString();
    }

    /** Cores the JIT compiler threads used in between ({@link ThreadGroups}' "JIT" group). */
    private static double jitCores(ProcessSample start, ProcessSample end) {
        return end.coresByGroupSince(start).getOrDefault("JIT", 0.0);
    }

    /** {@code cores} used between the two samples, as CPU milliseconds per call. */
    private static double msPerCall(double cores, ProcessSample start, ProcessSample end, int calls) {
        return cores * (end.nanoTime() - start.nanoTime()) / 1e6 / calls;
    }

    private static String row(String hop, double[] values, double first) {
        double max = values.length == 0
                ? Double.NaN
                : java.util.Arrays.stream(values).max().orElse(Double.NaN);
        return String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s | %s |%n",
                hop,
                values.length,
                ms(percentile(values, 50)),
                ms(percentile(values, 99)),
                ms(max),
                ms(first));
    }

    private static final List<String> SERVICES = List.of("signaling", "operator", WORKER);

    /** The services' processes and the harness's own (which hosts the API server), by name. */
    private static Map<String, ProcessSample> cpuSamples(E2eStack stack) {
        var samples = new java.util.LinkedHashMap<String, ProcessSample>();
        SERVICES.forEach(
                name -> samples.put(name, ProcessSample.of(stack.service(name).pid())));
        samples.put("harness", ProcessSample.of(ProcessHandle.current().pid()));
        return samples;
    }

    /**
     * CPU of each process over the run, per call: what a call's set-up, two seconds of media and
     * end cost each service, and the harness (phones, fake model, and the in-memory API server,
     * whose requests Vert.x serves on its event-loop threads).
     */
    static String cpu(Map<String, ProcessSample> before, Map<String, ProcessSample> after, int calls) {
        var out = new StringBuilder(
                "\n| process | cores during the run | CPU ms per call | threads that spent most (cores) |"
                        + "\n|---|---:|---:|---|\n");
        before.forEach((name, start) -> {
            ProcessSample end = after.get(name);
            double cores = end.coresSince(start);
            String top = end.coresByNameSince(start).entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(5)
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
            out.append(String.format(
                    Locale.ROOT, "| %s | %.2f | %.1f | %s |%n", name, cores, msPerCall(cores, start, end, calls), top));
        });
        return out.toString();
    }

    /** The API server's requests since the last drain, by method and what they address. */
    private static Map<String, Integer> drainRequests(E2eStack stack) throws InterruptedException {
        var counts = new java.util.TreeMap<String, Integer>();
        for (var r = stack.kube.takeRequest(0, TimeUnit.MILLISECONDS);
                r != null;
                r = stack.kube.takeRequest(0, TimeUnit.MILLISECONDS)) {
            String path = r.getPath();
            int query = path.indexOf('?');
            String bare = query < 0 ? path : path.substring(0, query);
            String[] parts = bare.split("/");
            // …/namespaces/<ns>/<resource>[/<name>[/<subresource>]]
            int ns = java.util.Arrays.asList(parts).indexOf("namespaces");
            String what;
            if (ns < 0 || parts.length <= ns + 2) {
                what = bare;
            } else {
                int rest = parts.length - (ns + 3);
                what = parts[ns + 2] + (rest <= 0 ? "" : rest == 1 ? "/<name>" : "/<name>/" + parts[parts.length - 1]);
            }
            if (query >= 0 && path.contains("watch=true")) {
                what += " (watch)";
            }
            if ("PATCH".equals(r.getMethod())) {
                what += " " + patchedFields(new String(r.getBody().getBytes(), StandardCharsets.UTF_8));
            }
            counts.merge(r.getMethod() + " " + what, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * What a patch writes: the fields under {@code status} (a status patch), or under {@code
     * metadata} and the other top-level fields (an object patch), e.g. {@code [status.media]}.
     */
    static String patchedFields(String body) {
        try {
            var patch = Webhooks.json().readTree(body);
            var fields = new java.util.TreeSet<String>();
            if (patch.isArray()) {
                patch.forEach(op -> fields.add(op.path("path").asText()));
                return fields.toString();
            }
            patch.properties().forEach(top -> {
                var value = top.getValue();
                if (value.isObject()
                        && (top.getKey().equals("status") || top.getKey().equals("metadata"))) {
                    value.properties().forEach(f -> fields.add(top.getKey() + "." + f.getKey()));
                } else {
                    fields.add(top.getKey());
                }
            });
            return fields.toString();
        } catch (IOException e) {
            return "[unreadable]";
        }
    }

    private static String requests(Map<String, Integer> counts, int calls) {
        var out = new StringBuilder("\n| API server requests during the run | count | per call |\n|---|---:|---:|\n");
        counts.forEach((what, n) -> out.append(
                String.format(Locale.ROOT, "| %s | %d | %.2f |%n", what.replace("|", "\\|"), n, n / (double) calls)));
        return out.toString();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Waits on purpose: this is a benchmark's pacing, not a test's synchronisation. */
    static void pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
