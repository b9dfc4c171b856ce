package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.EncodedAudio;
import dev.voicebridge.testkit.phone.LoadProfile;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.ReceptionSnapshot;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.ice.IceConfig;
import dev.voicebridge.worker.relay.ModelLeg;
import dev.voicebridge.worker.relay.OpusRelay;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What relaying costs the worker (docs/benchmarks.md, "Relay"): N calls, each a WhatsApp-like load
 * phone whose call the worker answers and a second load phone that answers the worker's offer for
 * the model as OpenAI's endpoint does (through {@link FakeCallsEndpoint}); both send pre-encoded
 * Opus every 20 ms for the whole window, as a continuous model stream does, and the worker relays
 * every packet both ways, with production ICE timing (consent every 5 s). It reports, per N, the CPU time of the worker's threads over the window
 * (by thread group; this JVM also runs the phones, whose threads are counted apart) and the
 * inter-packet gap at both kinds of phone. Not part of {@code verify}: run with
 * {@code -Dit.test=RelayBenchmark}; {@code -Dbench.calls=50,100,200}, {@code -Dbench.window=20}
 * (s), {@code -Dbench.settle=5} (s).
 */
class RelayBenchmark {
    private static final int[] CALLS = ints(System.getProperty("bench.calls", "50,100,200"));
    private static final int WINDOW = Integer.getInteger("bench.window", 20);
    private static final int SETTLE = Integer.getInteger("bench.settle", 5);

    @Test
    void relayedCallsCostPerCall() throws Exception {
        TestNetwork.requireNamespace();
        var audio = EncodedAudio.encode(Signals.speechLike(42, 5_000), 300);
        var rows = new ArrayList<String>();
        // Production ICE timing: the tests' consent checks every 500 ms would be ten times the cost.
        try (var fixture = new WorkerFixture(WorkerFixture.testConfig().withIce(IceConfig.defaults()));
                var openai = new FakeCallsEndpoint()) {
            int next = 0;
            for (int n : CALLS) {
                rows.add(level(fixture, openai, audio, n, next));
                next += n;
            }
        }
        String report = "Relay benchmark, " + java.time.Instant.now() + "; window " + WINDOW + " s after a " + SETTLE
                + " s settle; the worker's threads only (phones apart)\n\n"
                + "| calls | worker CPU | % of a core per call | by group (% per call) | gap p50 / p99 / max at the caller | at the model | phones' CPU |\n"
                + "|---:|---:|---:|---|---:|---:|---:|\n"
                + String.join("\n", rows) + "\n";
        System.out.println(report);
        Path out = Path.of(System.getProperty("bench.out", "target/benchmarks"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("relay.md"), report);
    }

    private static String level(WorkerFixture fixture, FakeCallsEndpoint openai, EncodedAudio audio, int n, int first)
            throws Exception {
        var random = new Random(first);
        var calls = new ArrayList<Relayed>();
        try {
            for (int i = 0; i < n; i++) {
                calls.add(Relayed.open(fixture, openai, audio, random, "relay-" + (first + i)));
            }
            for (Relayed c : calls) {
                c.awaitUp();
            }
            Thread.sleep(SETTLE * 1000L);
            for (Relayed c : calls) {
                c.caller.resetReception();
                c.model.resetReception();
            }
            var before = cpuByGroup();
            long start = System.nanoTime();
            Thread.sleep(WINDOW * 1000L);
            double seconds = (System.nanoTime() - start) / 1e9;
            var after = cpuByGroup();
            long[] atCaller = null;
            long[] atModel = null;
            long maxCaller = 0;
            long maxModel = 0;
            for (Relayed c : calls) {
                var rc = c.caller.reception();
                var rm = c.model.reception();
                atCaller = add(atCaller, rc.gapHistogram());
                atModel = add(atModel, rm.gapHistogram());
                maxCaller = Math.max(maxCaller, rc.maxGapNanos());
                maxModel = Math.max(maxModel, rm.maxGapNanos());
            }
            double worker = 0;
            var groups = new StringBuilder();
            for (var e : after.entrySet()) {
                double cores = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds;
                if (e.getKey().equals("phones")) {
                    continue;
                }
                worker += cores;
                if (cores * 100 / n >= 0.001) {
                    groups.append(groups.isEmpty() ? "" : ", ")
                            .append(e.getKey())
                            .append(' ')
                            .append(String.format(Locale.ROOT, "%.3f", cores * 100 / n));
                }
            }
            double phones = (after.getOrDefault("phones", 0L) - before.getOrDefault("phones", 0L)) / 1e9 / seconds;
            String row = String.format(
                    Locale.ROOT,
                    "| %d | %.2f cores | **%.3f %%** | %s | %s / %s / %.0f ms | %s / %s / %.0f ms | %.2f cores |",
                    n,
                    worker,
                    worker * 100 / n,
                    groups,
                    percentile(atCaller, 0.50),
                    percentile(atCaller, 0.99),
                    maxCaller / 1e6,
                    percentile(atModel, 0.50),
                    percentile(atModel, 0.99),
                    maxModel / 1e6,
                    phones);
            System.out.println("relay | " + row);
            for (Relayed c : calls) {
                assertThat(c.relay.stats().toModel()).as("relayed to the model").isPositive();
                assertThat(c.relay.stats().toCaller())
                        .as("relayed to the caller")
                        .isPositive();
            }
            return row;
        } finally {
            for (Relayed c : calls) {
                c.close();
            }
        }
    }

    /** One relayed call: the caller's phone and leg, the model's phone and leg. */
    private record Relayed(
            SyntheticPhone caller,
            SyntheticPhone model,
            OpusRelay relay,
            CallTransport callerLeg,
            CallTransport modelLeg) {

        static Relayed open(
                WorkerFixture fixture, FakeCallsEndpoint openai, EncodedAudio audio, Random random, String name)
                throws Exception {
            var caller = fixture.phones.newPhone(
                    new InetSocketAddress(TestNetwork.PHONE, 0),
                    PhoneOptions.load(new LoadProfile(audio, random.nextInt(50), Duration.ofSeconds(5))));
            var model = fixture.phones.newPhone(
                    new InetSocketAddress(TestNetwork.PHONE, 0),
                    PhoneOptions.load(new LoadProfile(audio, random.nextInt(50), Duration.ofSeconds(5))));
            String offer = caller.offer();
            var relay =
                    new OpusRelay(new SdpParser().parse(offer).audio().opus().payloadType());
            var callerLeg = fixture.engine.createTransport(name, offer, relay.callerLeg(), new RecordingListener());
            caller.acceptAnswer(callerLeg.answer());
            callerLeg.start();
            openai.answerWith(model);
            var modelLeg = ModelLeg.open(fixture.engine, openai.client(), name, relay, null, new RecordingListener())
                    .get(10, TimeUnit.SECONDS)
                    .transport();
            return new Relayed(caller, model, relay, callerLeg, modelLeg);
        }

        void awaitUp() throws InterruptedException {
            assertThat(caller.awaitConnected(Duration.ofSeconds(20))).isTrue();
            assertThat(model.awaitConnected(Duration.ofSeconds(20))).isTrue();
            model.pickUp();
            modelLeg.markAccepted();
            callerLeg.markAccepted();
        }

        void close() {
            callerLeg.hangup(EndReason.CallerHangup);
            modelLeg.hangup(EndReason.CallerHangup);
            caller.close();
            model.close();
        }
    }

    /** CPU nanoseconds of this JVM's live threads, by group: the phones' threads, else by name. */
    private static Map<String, Long> cpuByGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        var groups = new TreeMap<String, Long>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                groups.merge(group(info.getThreadName()), cpu, Long::sum);
            }
        }
        return groups;
    }

    private static String group(String name) {
        if (name.startsWith("phone")) {
            return "phones";
        }
        if (name.startsWith("udp-recv")) {
            return "receive";
        }
        if (name.startsWith("udp-send")) {
            return "send";
        }
        if (name.startsWith("ForkJoinPool")
                || name.endsWith("Poller")
                || name.startsWith("ReadPoller")
                || name.startsWith("WritePoller")
                || name.startsWith("VirtualThread")) {
            return "virtual threads";
        }
        if (name.startsWith("IceConnector") || name.startsWith("ice4j.") || name.equals("media-timer")) {
            return "ICE and timers";
        }
        if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return "JIT";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("VM ")) {
            return "JVM";
        }
        if (name.startsWith("media-pacer")) {
            return "pacer";
        }
        return "other";
    }

    private static long[] add(long[] into, long[] histogram) {
        long[] sum = into == null ? new long[histogram.length] : into;
        for (int i = 0; i < Math.min(sum.length, histogram.length); i++) {
            sum[i] += histogram[i];
        }
        return sum;
    }

    /** The gap (ms, 0.1 ms buckets) below which {@code q} of the gaps fell. */
    private static String percentile(long[] histogram, double q) {
        long total = 0;
        for (long c : histogram) {
            total += c;
        }
        if (total == 0) {
            return "-";
        }
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= q * total) {
                return String.format(Locale.ROOT, "%.1f", (i + 1) * ReceptionSnapshot.BUCKET_MICROS / 1000.0);
            }
        }
        return ">" + histogram.length * ReceptionSnapshot.BUCKET_MICROS / 1000;
    }

    private static int[] ints(String csv) {
        List<Integer> values = new ArrayList<>();
        for (String s : csv.split(",")) {
            values.add(Integer.parseInt(s.trim()));
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
