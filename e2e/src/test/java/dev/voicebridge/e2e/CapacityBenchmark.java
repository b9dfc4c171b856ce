package dev.voicebridge.e2e;

import dev.voicebridge.api.agent.ModelApis;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.EncodedAudio;
import dev.voicebridge.testkit.phone.LoadProfile;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.ReceptionSnapshot;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How many calls one media worker carries (issue 12). Not part of {@code verify}: one command runs
 * it (docs/benchmarks.md, "Capacity"). The product runs as in e2e — operator, signaling-service and
 * ONE media worker as processes from their runnable jars, production settings — with the fake
 * realtime service as every call's model over a real WebSocket and WhatsApp-like load phones
 * (ICE-lite, DTLS server, SRTP, Opus 20 ms, RTCP) that replay pre-encoded speech.
 *
 * <p>For each number of concurrent calls N it places N calls through {@code POST /v1/calls} at a
 * fixed rate (open loop: setup latency counts from each call's scheduled time), lets the greetings
 * pass, then measures a window: the worker's CPU from /proc (whole process and by thread group),
 * its memory and threads, what the phones received (inter-packet gaps, what their playout would
 * conceal, losses), the worker's added latency each way, and the load generator's own CPU. Then
 * it hangs the calls up and reads each call's final figures (the worker's concealment of caller
 * audio).
 *
 * <p>The conversation, per call, every 5 s: the caller speaks 1.5 s; the model answers 0.5 s
 * after the caller stops (its VAD) with 2 s of audio: the agent speaks 40 % of the time.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class CapacityBenchmark {
    /** Reads the worker's {@code /metrics} (the pacer's counters) around each window. */
    private static final HttpClient METRICS = HttpClient.newHttpClient();

    static final String WORKER = "worker-a";
    private static final int LOOP_FRAMES = 250;
    private static final int SPEECH_FRAMES = 75;

    /** Benchmark settings, from {@code -Dbench.*} system properties. */
    record Settings(
            List<Integer> calls,
            double rate,
            Duration window,
            Duration settle,
            Path out,
            String workerJvm,
            String controlPlaneJvm,
            boolean stopAtTarget,
            Integer leadInMillis,
            int warmUpCalls,
            boolean relay) {
        static Settings fromSystemProperties() {
            return new Settings(
                    Arrays.stream(System.getProperty("bench.calls", "10,50,100,200")
                                    .split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .toList(),
                    Double.parseDouble(System.getProperty("bench.rate", "20")),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("bench.window", "60"))),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("bench.settle", "10"))),
                    Path.of(System.getProperty("bench.out", "target/benchmarks")),
                    // The chart's memory limit (1 GiB) as the JVM sees it in its container.
                    System.getProperty("bench.workerJvm", WorkerJvm.IMAGE_LIKE),
                    System.getProperty("bench.controlPlaneJvm", ""),
                    Boolean.parseBoolean(System.getProperty("bench.stopAtTarget", "false")),
                    // The greeting's lead-in; unset: the agent sets none, the worker's default applies.
                    System.getProperty("bench.leadIn") == null ? null : Integer.getInteger("bench.leadIn"),
                    // Calls set up, run for a short window and hung up before the first level, so
                    // the levels meet compiled code as a worker that has run for a while does; 0:
                    // the first level is the first after start.
                    Integer.getInteger("bench.warmUpCalls", 100),
                    // The agent's audio relayed over WebRTC (modelTransport: webrtc) instead of
                    // transcoded over the model's WebSocket.
                    Boolean.getBoolean("bench.relay"));
        }

        /** The warm-up level's settings: the same, with a 20 s window. */
        Settings forWarmUp() {
            return new Settings(
                    List.of(warmUpCalls),
                    rate,
                    Duration.ofSeconds(20),
                    settle,
                    out,
                    workerJvm,
                    controlPlaneJvm,
                    stopAtTarget,
                    leadInMillis,
                    warmUpCalls,
                    relay);
        }
    }

    /** One call of a level. */
    private static final class BenchCall {
        final int index;
        final SyntheticPhone phone;
        final String callId;
        volatile double setupMillis = Double.NaN;
        volatile long postEpochMillis;
        volatile long answerEpochMillis;
        volatile long acceptSentNanos;
        volatile boolean connected;
        volatile double greetingMillis = Double.NaN;

        BenchCall(int index, SyntheticPhone phone) {
            this.index = index;
            this.phone = phone;
            this.callId = "wacid.bench-" + index;
        }

        String path() {
            return "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
        }
    }

    @Test
    void capacity() throws Exception {
        TestNetwork.requireNamespace();
        var settings = Settings.fromSystemProperties();
        var timings = new ModelTimings();
        var options = E2eStack.Options.benchmark(WORKER, 100_000, settings.workerJvm(), settings.controlPlaneJvm());
        String machineSpeed = MachineSpeed.measure();
        System.out.println("capacity | " + machineSpeed);
        try (var stack = new E2eStack("CapacityBenchmark", options)) {
            stack.realtime
                    .recording(false)
                    .streaming(20, 20) // real time: 20 ms of audio every 20 ms
                    .greetWith(ResponseAudio.tone(660, 1000))
                    .respondWith(ResponseAudio.tone(440, 2000))
                    .observe(timings);
            if (settings.relay()) {
                // The model's peers are phones of the generator, on the phones' address.
                stack.realtime.acceptCalls(stack.phones, new InetSocketAddress(E2eStack.PHONE_ADDRESS, 0));
            }
            if (settings.relay() || settings.leadInMillis() != null) {
                stack.kube
                        .client()
                        .resources(VoiceAgent.class)
                        .inNamespace(E2eStack.NS)
                        .withName("default")
                        .edit(a -> {
                            if (settings.relay()) {
                                a.getSpec().setModelTransport(ModelApis.TRANSPORT_WEBRTC);
                            }
                            if (settings.leadInMillis() != null) {
                                a.getSpec().getGreeting().setLeadInMillis(settings.leadInMillis());
                            }
                            return a;
                        });
            }
            var audio = EncodedAudio.encode(conversationLoop(), 300);
            var api = new Webhooks(stack.signaling);
            long workerPid = stack.service(WORKER).pid();
            pause(settings.settle());
            var idle = ProcessSample.of(workerPid);
            var results = new ArrayList<LevelResult>();
            int next = 0;
            if (settings.warmUpCalls() > 0) {
                var warmUp = new Level(stack, api, audio, timings, settings.forWarmUp(), next, settings.warmUpCalls());
                next += settings.warmUpCalls();
                System.out.println("capacity | warm-up, not reported: " + CapacityReport.line(warmUp.run(), idle));
                pause(settings.settle());
                // The baseline of memory and threads per call: the worker idle again after the
                // warm-up (its heap grown and its code compiled, as in a worker that has run).
                idle = ProcessSample.of(workerPid);
            }
            for (int n : settings.calls()) {
                var level = new Level(stack, api, audio, timings, settings, next, n);
                next += n;
                LevelResult result = level.run();
                results.add(result);
                System.out.println(CapacityReport.line(result, idle));
                if (settings.stopAtTarget() && !result.meetsGapTarget()) {
                    break;
                }
            }
            CapacityReport.write(settings, idle, results, machineSpeed);
        }
    }

    /** 5 s: 3.5 s of pause, then 1.5 s of speech-like sound at about a third of full scale. */
    static short[] conversationLoop() {
        short[] loop = new short[LOOP_FRAMES * PcmSource.FRAME_SAMPLES];
        short[] speech = Signals.speechLike(42, SPEECH_FRAMES * 20);
        int peak = 1;
        for (short s : speech) {
            peak = Math.max(peak, Math.abs(s));
        }
        int start = (LOOP_FRAMES - SPEECH_FRAMES) * PcmSource.FRAME_SAMPLES;
        for (int i = 0; i < speech.length && start + i < loop.length; i++) {
            loop[start + i] = (short) (speech[i] * 11_000L / peak);
        }
        return loop;
    }

    /** One number of concurrent calls: set up, measure, hang up. */
    private record Level(
            E2eStack stack,
            Webhooks api,
            EncodedAudio audio,
            ModelTimings timings,
            Settings settings,
            int firstIndex,
            int n) {

        LevelResult run() throws Exception {
            var random = new Random(firstIndex);
            var calls = new ArrayList<BenchCall>();
            for (int i = 0; i < n; i++) {
                // Phones start in the pause (2.5-3.5 s before their first talk spurt) so the greeting
                // is heard whole; the ramp spreads their talk spurts over the loop.
                var profile = new LoadProfile(audio, random.nextInt(50), Duration.ofSeconds(5));
                calls.add(new BenchCall(
                        firstIndex + i,
                        stack.phones.newPhone(
                                new InetSocketAddress(E2eStack.PHONE_ADDRESS, 0), PhoneOptions.load(profile))));
            }
            LevelResult measured = null;
            try {
                place(calls);
                pause(settings.settle());
                measured = measure(calls);
            } finally {
                hangUp(calls);
            }
            long concealed = 0;
            long lost = 0;
            for (BenchCall call : calls) {
                VoiceCall vc = call.connected ? stack.call(call.callId) : null;
                MediaStatus media = vc == null || vc.getStatus() == null
                        ? null
                        : vc.getStatus().getMedia();
                if (media != null) {
                    concealed += media.getConcealedMillis() == null ? 0 : media.getConcealedMillis();
                    lost += media.getPacketsLost() == null ? 0 : media.getPacketsLost();
                }
            }
            return measured.withWorkerFigures(concealed, lost);
        }

        /** Open loop at the configured rate; each call on its own virtual thread. */
        private void place(List<BenchCall> calls) throws InterruptedException {
            long start = System.nanoTime();
            long interval = (long) (1e9 / settings.rate());
            var threads = new ArrayList<Thread>();
            for (int i = 0; i < calls.size(); i++) {
                BenchCall call = calls.get(i);
                long scheduled = start + i * interval;
                threads.add(Thread.ofVirtual().name("bench-call-" + call.index).start(() -> setUp(call, scheduled)));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(90));
            }
        }

        private void setUp(BenchCall call, long scheduledNanos) {
            LockSupport.parkNanos(scheduledNanos - System.nanoTime());
            try {
                var body = Webhooks.json()
                        .createObjectNode()
                        .put("callId", call.callId)
                        .put("sdpOffer", call.phone.offer())
                        .put("from", "44770090" + String.format("%04d", call.index % 10_000))
                        .put("to", "15550001906")
                        .put("phoneNumberId", E2eStack.PHONE_NUMBER_ID);
                body.putObject("overrides").put("instructions", "bench call " + call.index);
                call.postEpochMillis = System.currentTimeMillis();
                var created = api.api("POST", "/v1/calls", body.toString());
                call.setupMillis = (System.nanoTime() - scheduledNanos) / 1e6;
                call.answerEpochMillis = System.currentTimeMillis();
                if (created.statusCode() != 201) {
                    System.out.println(
                            "call " + call.index + ": POST /v1/calls " + created.statusCode() + " " + created.body());
                    return;
                }
                call.phone.acceptAnswer(Webhooks.json()
                        .readTree(created.body())
                        .path("sdpAnswer")
                        .asText());
                if (!call.phone.awaitConnected(Duration.ofSeconds(30))) {
                    System.out.println("call " + call.index + ": media not connected " + call.phone.stats());
                    return;
                }
                // As in bridge mode, where the operator accepts once media is up: the greeting's
                // latency is then the worker's and the model's, not the handshake's.
                call.acceptSentNanos = System.nanoTime();
                int accepted = api.api("POST", call.path() + "/accepted", "").statusCode();
                call.connected = accepted == 204;
            } catch (Exception e) {
                System.out.println("call " + call.index + ": " + e);
            }
        }

        /** Milliseconds from the call's accept to the first of {@code times} after it; NaN: none. */
        private static double afterAccept(BenchCall call, long[] times) {
            for (long t : times) {
                if (call.acceptSentNanos != 0 && t > call.acceptSentNanos) {
                    return (t - call.acceptSentNanos) / 1e6;
                }
            }
            return Double.NaN;
        }

        private static void addIfKnown(List<Double> values, double value) {
            if (!Double.isNaN(value)) {
                values.add(value);
            }
        }

        /** The p50 as the report computes it ({@link LevelResult#percentile}). */
        private static double median(List<Double> values) {
            return LevelResult.percentile(
                    values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
        }

        private LevelResult measure(List<BenchCall> calls) throws Exception {
            var modelStarts = new ArrayList<Double>();
            var sessionsConfigured = new ArrayList<Double>();
            var greetingsAsked = new ArrayList<Double>();
            for (BenchCall call : calls) {
                call.greetingMillis = afterAccept(call, call.phone.reception().agentOnsets());
                long[] configured = timings.configured(call.index);
                if (call.acceptSentNanos != 0 && configured.length > 0) {
                    sessionsConfigured.add((configured[0] - call.acceptSentNanos) / 1e6);
                }
                addIfKnown(greetingsAsked, afterAccept(call, timings.requested(call.index)));
                addIfKnown(modelStarts, afterAccept(call, timings.responseStarted(call.index)));
                call.phone.resetReception();
            }
            // Where a greeting's time goes: until the model starts it, then to the caller's ear.
            System.out.printf(
                    Locale.ROOT,
                    "capacity | greeting: the model's session configured p50 %.0f ms after the accept (negative:"
                            + " before it), the greeting asked for p50 %.0f ms and its first audio p50 %.0f ms"
                            + " after it (%d calls)%n",
                    median(sessionsConfigured),
                    median(greetingsAsked),
                    median(modelStarts),
                    modelStarts.size());
            timings.reset();
            var concealedBefore = new HashMap<Integer, long[]>();
            for (BenchCall call : calls) {
                ReceptionSnapshot r = call.phone.reception();
                concealedBefore.put(call.index, new long[] {r.concealedFrames(), r.packetsLost()});
            }
            long self = ProcessHandle.current().pid();
            var operator = stack.service("operator").pid();
            var signaling = stack.service("signaling").pid();
            var workerStart = ProcessSample.of(stack.service(WORKER).pid());
            var selfStart = ProcessSample.of(self);
            var operatorStart = ProcessSample.of(operator);
            var signalingStart = ProcessSample.of(signaling);
            var pacerStart = pacerTicks();
            pause(settings.window());
            var pacerLate = pacerLatePercent(pacerStart, pacerTicks());
            var workerEnd = ProcessSample.of(stack.service(WORKER).pid());
            var selfEnd = ProcessSample.of(self);
            printGeneratorThreads(selfEnd, selfStart);
            double control = ProcessSample.of(operator).coresSince(operatorStart)
                    + ProcessSample.of(signaling).coresSince(signalingStart);

            long[] gaps = null;
            long maxGap = 0;
            long concealed = 0;
            long lost = 0;
            var in = new ArrayList<Double>();
            var out = new ArrayList<Double>();
            int connected = 0;
            for (BenchCall call : calls) {
                if (!call.connected) {
                    continue;
                }
                connected++;
                ReceptionSnapshot r = call.phone.reception();
                if (gaps == null) {
                    gaps = new long[r.gapHistogram().length];
                }
                for (int i = 0; i < gaps.length; i++) {
                    gaps[i] += r.gapHistogram()[i];
                }
                maxGap = Math.max(maxGap, r.maxGapNanos());
                long[] before = concealedBefore.get(call.index);
                concealed += r.concealedFrames() - before[0];
                lost += r.packetsLost() - before[1];
                pair(r.callerOnsets(), timings.speechArrived(call.index), in);
                pairForward(timings.responseStarted(call.index), r.agentOnsets(), out);
            }
            var setup = calls.stream()
                    .mapToDouble(c -> c.setupMillis)
                    .filter(v -> !Double.isNaN(v))
                    .toArray();
            var hops = setupHops(calls);
            var greeting = calls.stream()
                    .mapToDouble(c -> c.greetingMillis)
                    .filter(v -> !Double.isNaN(v))
                    .toArray();
            return new LevelResult(
                    n,
                    connected,
                    (workerEnd.nanoTime() - workerStart.nanoTime()) / 1e9,
                    workerEnd.coresSince(workerStart),
                    workerEnd.coresByGroupSince(workerStart),
                    workerEnd.rssKb() / 1024.0,
                    workerEnd.threads(),
                    setup,
                    greeting,
                    gaps == null ? new long[1] : gaps,
                    maxGap / 1e6,
                    concealed,
                    lost,
                    0,
                    0,
                    in.stream().mapToDouble(Double::doubleValue).toArray(),
                    out.stream().mapToDouble(Double::doubleValue).toArray(),
                    selfEnd.coresSince(selfStart),
                    control,
                    workerEnd.threadNames(),
                    hops,
                    pacerLate);
        }

        /**
         * The worker's pacer counters from its metrics: ticks, and ticks whose last call was done more
         * than each bound after the tick was due (key: the bound in ms; -1: all ticks).
         */
        private Map<Integer, Long> pacerTicks() throws Exception {
            var http = stack.workerHttp(WORKER);
            var body = METRICS.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://" + http.getHostString() + ":" + http.getPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            var counts = new TreeMap<Integer, Long>();
            var late = Pattern.compile("(?m)^voicebridge_worker_pacer_ticks(_late)?(?:\\{([^}]*)})? ([0-9.eE+]+)$");
            var bound = Pattern.compile("over_ms=\"(\\d+)\"");
            var m = late.matcher(body);
            while (m.find()) {
                long value = (long) Double.parseDouble(m.group(3));
                if (m.group(1) == null) {
                    counts.put(-1, value);
                } else {
                    var b = bound.matcher(m.group(2) == null ? "" : m.group(2));
                    if (b.find()) {
                        counts.put(Integer.parseInt(b.group(1)), value);
                    }
                }
            }
            return counts;
        }

        /** The share of the window's pacer ticks that finished late, in %, by bound (ms). */
        private Map<Integer, Double> pacerLatePercent(Map<Integer, Long> start, Map<Integer, Long> end) {
            long ticks = end.getOrDefault(-1, 0L) - start.getOrDefault(-1, 0L);
            var shares = new TreeMap<Integer, Double>();
            end.forEach((bound, count) -> {
                if (bound >= 0 && ticks > 0) {
                    shares.put(bound, Math.min(100.0, 100.0 * (count - start.getOrDefault(bound, 0L)) / ticks));
                }
            });
            return shares;
        }

        /** The load generator's CPU by thread name, largest first (for profiling; not in the report). */
        private void printGeneratorThreads(ProcessSample end, ProcessSample start) {
            var line = new StringBuilder("generator threads at " + n + " calls (cores):");
            end.coresByNameSince(start).entrySet().stream()
                    .filter(e -> e.getValue() >= 0.005)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> line.append(String.format(Locale.ROOT, " %s=%.3f", e.getKey(), e.getValue())));
            System.out.println(line);
        }

        /**
         * Where each call's setup time went, from the timestamps its VoiceCall carries: the request
         * sent → the operator assigned a worker ({@code status.assignment.assignedAt}) → the worker
         * built the answer ({@code status.media.answeredAt}) → the answer was back at the client.
         */
        private Map<String, double[]> setupHops(List<BenchCall> calls) {
            var assign = new ArrayList<Double>();
            var answer = new ArrayList<Double>();
            var back = new ArrayList<Double>();
            for (BenchCall call : calls) {
                VoiceCall vc = stack.call(call.callId);
                if (vc == null || vc.getStatus() == null || call.answerEpochMillis == 0) {
                    continue;
                }
                var st = vc.getStatus();
                if (st.getAssignment() == null
                        || st.getAssignment().getAssignedAt() == null
                        || st.getMedia() == null
                        || st.getMedia().getAnsweredAt() == null) {
                    continue;
                }
                long assigned = java.time.Instant.parse(st.getAssignment().getAssignedAt())
                        .toEpochMilli();
                long answered =
                        java.time.Instant.parse(st.getMedia().getAnsweredAt()).toEpochMilli();
                assign.add((double) (assigned - call.postEpochMillis));
                answer.add((double) (answered - assigned));
                back.add((double) (call.answerEpochMillis - answered));
            }
            var hops = new java.util.LinkedHashMap<String, double[]>();
            hops.put("request → assigned (signaling, operator)", toArray(assign));
            hops.put("assigned → answer built (worker)", toArray(answer));
            hops.put("answer built → client has it (status write, signaling)", toArray(back));
            return hops;
        }

        private static double[] toArray(List<Double> list) {
            return list.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** Hangs every call up, waits for the ends, closes the phones. */
        private void hangUp(List<BenchCall> calls) throws InterruptedException {
            var threads = new ArrayList<Thread>();
            for (BenchCall call : calls) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        api.api("DELETE", call.path(), null);
                    } catch (Exception e) {
                        System.out.println("call " + call.index + ": hang-up failed: " + e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (BenchCall call : calls) {
                while (System.nanoTime() < deadline && !ended(call)) {
                    pause(Duration.ofMillis(200));
                }
                call.phone.close();
            }
        }

        private boolean ended(BenchCall call) {
            VoiceCall vc = stack.call(call.callId);
            return vc == null
                    || vc.getStatus() == null
                    || (vc.getStatus().getPhase() != null
                            && vc.getStatus().getPhase().isTerminal()
                            && vc.getStatus().getMedia() != null
                            && vc.getStatus().getMedia().getConcealedMillis() != null);
        }
    }

    /** For each arrival, the latest departure before it (within 1 s): the time it took. */
    static void pair(long[] departures, long[] arrivals, List<Double> out) {
        for (long a : arrivals) {
            long best = Long.MIN_VALUE;
            for (long d : departures) {
                if (d <= a && a - d < 1_000_000_000L && d > best) {
                    best = d;
                }
            }
            if (best != Long.MIN_VALUE) {
                out.add((a - best) / 1e6);
            }
        }
    }

    /** For each departure, the first arrival after it (within 1 s): the time it took. */
    static void pairForward(long[] departures, long[] arrivals, List<Double> out) {
        for (long d : departures) {
            long best = Long.MAX_VALUE;
            for (long a : arrivals) {
                if (a >= d && a - d < 1_000_000_000L && a < best) {
                    best = a;
                }
            }
            if (best != Long.MAX_VALUE) {
                out.add((best - d) / 1e6);
            }
        }
    }

    /** A measurement window or a settling time: this is a benchmark, it waits on purpose. */
    static void pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
