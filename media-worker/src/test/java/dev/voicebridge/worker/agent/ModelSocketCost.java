package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.modelsocket.RawWebSocketPeer;
import dev.voicebridge.worker.pipeline.PlayoutQueue;
import dev.voicebridge.worker.realtime.ClientEvent;
import dev.voicebridge.worker.realtime.OpenAiRealtimeClient;
import dev.voicebridge.worker.realtime.OpenAiRealtimeConfig;
import dev.voicebridge.worker.realtime.RealtimeConnection;
import dev.voicebridge.worker.realtime.RealtimeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * What the model socket costs both ways, counted rather than timed: {@value #CALLS} calls, each
 * with a real WebSocket ({@link OpenAiRealtimeClient} over the worker's {@code ModelSocket}) to a
 * minimal RFC 6455 server on loopback in this process. Each call's owner (a one-thread scheduled
 * executor on a virtual thread, as {@link CallAgent} has) sends a 40 ms {@code
 * input_audio_buffer.append} every 40 ms; the server sends each call a 20 ms {@code
 * response.output_audio.delta} every 20 ms for 2 s out of every 5 (the agent speaks 40 % of the
 * time), which goes through the real parser to the owner and into a {@link PlayoutQueue}.
 *
 * <p>Reports the process's CPU time (carriers, GC, JIT and the socket's own threads included) less
 * the server's and the generator's threads (platform threads, so counted exactly), per call per
 * 20 ms, and the bytes allocated by every thread less the server's, per call per 20 ms.
 *
 * <p>Not a test and not part of any build: {@code java -cp <test classpath> ...ModelSocketCost [seconds
 * [both|send|receive]]} (one direction only: no appends, or no deltas).
 */
public final class ModelSocketCost {
    private static final int CALLS = 100;
    private static final int SPEAK_TICKS = 100; // 2 s of every 5
    private static final int CYCLE_TICKS = 250;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ModelSocketCost() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String ways = args.length > 1 ? args[1] : "both";
        boolean send = !ways.equals("receive");
        boolean receive = !ways.equals("send");
        try (var server = new SinkServer()) {
            var client = new OpenAiRealtimeClient(
                    new OpenAiRealtimeConfig(server.uri(), "sk-bench", Duration.ofSeconds(10), 0), new ObjectMapper());
            var calls = new ArrayList<BenchCall>();
            for (int c = 0; c < CALLS; c++) {
                calls.add(new BenchCall(client));
            }
            for (var call : calls) {
                call.connection = call.connecting.get(10, TimeUnit.SECONDS);
            }
            run(server, calls, 5 * 50, send, receive, false); // warm-up
            run(server, calls, seconds * 50, send, receive, true);
            calls.forEach(BenchCall::close);
        }
    }

    private static void run(
            SinkServer server, List<BenchCall> calls, int ticks, boolean send, boolean receive, boolean report) {
        short[] append = new short[2 * Pcm.FRAME_SAMPLES];
        for (int i = 0; i < append.length; i++) {
            append[i] = (short) (3000 * Math.sin(i * 0.2));
        }
        var event = new ClientEvent.AppendAudio(append);
        long deltasBefore = calls.stream().mapToLong(c -> c.deltas.sum()).sum();
        for (int i = 0; i < GAPS.length(); i++) {
            GAPS.set(i, 0);
        }
        long me = Thread.currentThread().threadId();
        long cpuBefore = OS.getProcessCpuTime();
        long mineBefore = THREADS.getThreadCpuTime(me);
        long serverBefore = server.cpuNanos();
        long allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
        long serverAllocatedBefore = server.allocated();
        long sentBefore = server.received.sum();
        long next = System.nanoTime();
        for (int t = 0; t < ticks; t++) {
            for (int c = 0; c < calls.size(); c++) {
                var call = calls.get(c);
                if (send && (t + c) % 2 == 0) { // appends every 40 ms, half the calls on each tick
                    call.owner.execute(() -> call.connection.send(event));
                }
                if (receive && (t + c * 7) % CYCLE_TICKS < SPEAK_TICKS) {
                    server.speak(c);
                }
            }
            next += 20_000_000L;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        LockSupport.parkNanos(100_000_000L); // the last messages
        long cpu = OS.getProcessCpuTime()
                - cpuBefore
                - (THREADS.getThreadCpuTime(me) - mineBefore)
                - (server.cpuNanos() - serverBefore);
        long allocated =
                THREADS.getTotalThreadAllocatedBytes() - allocatedBefore - (server.allocated() - serverAllocatedBefore);
        long deltas = calls.stream().mapToLong(c -> c.deltas.sum()).sum() - deltasBefore;
        long received = server.received.sum() - sentBefore;
        if (report) {
            double slots = (double) CALLS * ticks;
            System.out.printf(
                    "%d calls, %d s, %s: %.1f µs CPU and %.0f B allocated per call per 20 ms; %.3f %% of a core per call;"
                            + " %d deltas played (%.0f %% of slots), %.1f MB of appends received by the server%n",
                    CALLS,
                    ticks / 50,
                    send && receive ? "both ways" : send ? "appends only" : "deltas only",
                    cpu / 1000.0 / slots,
                    allocated / slots,
                    cpu / (ticks * 20e6) / CALLS * 100,
                    deltas,
                    100.0 * deltas / slots,
                    received / 1e6);
            printGaps();
        }
    }

    /** Where a delta arrives late (more than 40 ms after the previous one) the shallow playout drops audio. */
    private static void printGaps() {
        long total = 0;
        for (int i = 0; i < GAPS.length(); i++) {
            total += GAPS.get(i);
        }
        long seen = 0;
        int p50 = -1;
        int p99 = -1;
        int max = 0;
        long over40 = 0;
        for (int i = 0; i < GAPS.length(); i++) {
            seen += GAPS.get(i);
            if (p50 < 0 && seen >= total / 2) {
                p50 = i;
            }
            if (p99 < 0 && seen >= total * 99 / 100) {
                p99 = i;
            }
            if (GAPS.get(i) > 0) {
                max = i;
            }
            if (i > 40) {
                over40 += GAPS.get(i);
            }
        }
        System.out.printf(
                "delta gaps at the owners: p50 %d ms, p99 %d ms, max %d%s ms; %.2f %% over 40 ms%n",
                p50, p99, max, max == 200 ? "+" : "", 100.0 * over40 / Math.max(total, 1));
    }

    /** Gaps between consecutive deltas of one call at its owner, in ms (the last bucket: 200 and more). */
    private static final AtomicLongArray GAPS = new AtomicLongArray(201);

    /** One call: its owner, its socket, its playout queue. */
    private static final class BenchCall {
        final ScheduledThreadPoolExecutor owner =
                new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().factory());
        final PlayoutQueue playout = new PlayoutQueue(200);
        final LongAdder deltas = new LongAdder();
        long lastDelta; // owner thread only
        final java.util.concurrent.CompletableFuture<RealtimeConnection> connecting;
        volatile RealtimeConnection connection;

        BenchCall(OpenAiRealtimeClient client) {
            connecting = client.connect("bench", this::onEvent);
        }

        /** On the socket's thread: hand over to the owner, as the realtime session does. */
        private void onEvent(RealtimeEvent e) {
            if (e instanceof RealtimeEvent.OutputAudioDelta d) {
                owner.execute(() -> {
                    long now = System.nanoTime();
                    long gap = (now - lastDelta) / 1_000_000;
                    if (lastDelta != 0 && gap < 1000) { // within one 2 s turn
                        GAPS.incrementAndGet((int) Math.min(gap, 200));
                    }
                    lastDelta = now;
                    deltas.increment();
                    playout.enqueue(d.itemId(), d.pcm());
                });
            }
        }

        void close() {
            connection.close();
            owner.shutdown();
        }
    }

    /**
     * The benchmark's model service: a {@link RawWebSocketPeer} whose connections each get a
     * platform reader thread that discards what it reads, and pre-built text frames written from
     * the generator's thread. Its threads' CPU and allocation are subtracted from the process's.
     */
    private static final class SinkServer implements AutoCloseable {
        private final RawWebSocketPeer peer = new RawWebSocketPeer();
        private final List<RawWebSocketPeer.Connection> connections = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final LongAdder received = new LongAdder();
        private final byte[] delta = deltaFrame();

        SinkServer() throws IOException {
            start("sink-accept", this::accept);
        }

        URI uri() {
            return peer.uri();
        }

        private void start(String name, Runnable r) {
            var t = Thread.ofPlatform().daemon().name(name).unstarted(r);
            threads.add(t);
            t.start();
        }

        long cpuNanos() {
            long sum = 0;
            for (var t : threads) {
                sum += Math.max(THREADS.getThreadCpuTime(t.threadId()), 0);
            }
            return sum;
        }

        long allocated() {
            long sum = 0;
            for (var t : threads) {
                sum += Math.max(THREADS.getThreadAllocatedBytes(t.threadId()), 0);
            }
            return sum;
        }

        /** A GA {@code response.output_audio.delta} of 20 ms, with the fields the service sends. */
        private static byte[] deltaFrame() {
            short[] pcm = new short[Pcm.FRAME_SAMPLES];
            byte[] b = new byte[pcm.length * 2];
            for (int i = 0; i < pcm.length; i++) {
                short s = (short) (2000 * Math.sin(i * 0.1));
                b[2 * i] = (byte) s;
                b[2 * i + 1] = (byte) (s >> 8);
            }
            String json =
                    "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_1\",\"response_id\":\"resp_1\","
                            + "\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\""
                            + Base64.getEncoder().encodeToString(b) + "\"}";
            return RawWebSocketPeer.frame(true, RawWebSocketPeer.TEXT, json.getBytes(StandardCharsets.US_ASCII));
        }

        private void accept() {
            while (true) {
                try {
                    var c = peer.accept();
                    connections.add(c);
                    start("sink-read", () -> discard(c));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void discard(RawWebSocketPeer.Connection c) {
            byte[] buf = new byte[65536];
            try (c) {
                InputStream in = c.rawInput();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received.add(n);
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        /** Writes one delta to the {@code c}th connection accepted (which call that is does not matter). */
        void speak(int c) {
            if (c >= connections.size()) {
                return;
            }
            try {
                connections.get(c).write(delta);
            } catch (IOException e) {
                // the call's socket is gone; the benchmark reports fewer deltas
            }
        }

        @Override
        public void close() throws IOException {
            peer.close();
            for (var c : connections) {
                c.close();
            }
        }
    }
}
