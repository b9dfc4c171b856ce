package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.modelsocket.AudioAppendJson;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * What the caller's audio costs on its way to the model, counted rather than timed: {@value #CALLS}
 * calls, each with its own owner (a one-thread scheduled executor on a virtual thread, as
 * {@link CallAgent} has) and {@link CallerIntake}, get one 20 ms frame every 20 ms from one
 * generator thread (the pacer's part); each append is rendered as the JSON text the model socket
 * sends (the socket itself is left out). Reads the process's CPU time (carriers, GC and JIT
 * included) less the generator's own, and the bytes allocated by every thread, for:
 *
 * <ul>
 *   <li>before — a drain per frame ({@code append-frames} 1, and the intake then woke the owner
 *       for every frame whatever the batch) and the message built as a Jackson tree with a base64
 *       String;
 *   <li>1 frame — a drain per frame, the message written by {@link AudioAppendJson};
 *   <li>2 frames (the default) — one drain and one message per 40 ms.
 * </ul>
 *
 * Not a test and not part of any build: {@code java -cp <test classpath> ...CallerAudioCost}.
 */
public final class CallerAudioCost {
    private static final int CALLS = 100;
    private static final int TICKS = 500; // 10 s of audio per mode
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ObjectMapper JSON = new ObjectMapper();

    private CallerAudioCost() {}

    private enum Mode {
        BEFORE(1),
        ONE_FRAME(1),
        TWO_FRAMES(2);

        final int frames;

        Mode(int frames) {
            this.frames = frames;
        }
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (Mode mode : Mode.values()) {
                var r = run(mode);
                if (round == 1) {
                    System.out.printf(
                            "%-10s: %5.1f µs CPU and %6.0f B allocated per frame; %.3f %% of a core per call;"
                                    + " %d drains, %d appends for %d frames%n",
                            mode,
                            r.cpuNanos / 1000.0 / r.frames,
                            (double) r.allocated / r.frames,
                            r.cpuNanos / (TICKS * 20e6) / CALLS * 100,
                            r.drains,
                            r.appends,
                            r.frames);
                }
            }
        }
    }

    private record Result(long cpuNanos, long allocated, long frames, long drains, long appends) {}

    private static Result run(Mode mode) throws Exception {
        var config = AgentConfig.DEFAULTS.with("append-frames", Integer.toString(mode.frames));
        var drains = new LongAdder();
        var appends = new LongAdder();
        List<ScheduledThreadPoolExecutor> owners = new ArrayList<>();
        List<CallerIntake> intakes = new ArrayList<>();
        List<Runnable> drainTasks = new ArrayList<>();
        for (int c = 0; c < CALLS; c++) {
            var owner = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().factory());
            var intake = new CallerIntake(config);
            var session = new RenderingSession(mode == Mode.BEFORE, appends);
            owners.add(owner);
            intakes.add(intake);
            drainTasks.add(() -> {
                drains.increment();
                intake.drain(true, session, (edge, speaking, now) -> {});
            });
        }
        short[] frame = new short[Pcm.FRAME_SAMPLES];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (3000 * Math.sin(i * 0.2));
        }
        long me = Thread.currentThread().threadId();
        long cpuBefore = OS.getProcessCpuTime();
        long mineBefore = THREADS.getThreadCpuTime(me);
        long allocatedBefore = allocated();
        long next = System.nanoTime();
        for (int t = 0; t < TICKS; t++) {
            for (int c = 0; c < CALLS; c++) {
                if (intakes.get(c).offer(frame)) {
                    Runnable task = drainTasks.get(c);
                    owners.get(c).execute(task);
                }
            }
            next += 20_000_000L;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        LockSupport.parkNanos(50_000_000L); // the last drains
        long cpu = OS.getProcessCpuTime() - cpuBefore - (THREADS.getThreadCpuTime(me) - mineBefore);
        long allocated = allocated() - allocatedBefore;
        owners.forEach(ScheduledThreadPoolExecutor::shutdown);
        return new Result(cpu, allocated, (long) CALLS * TICKS, drains.sum(), appends.sum());
    }

    /** Bytes allocated by every live platform thread and carrier (virtual threads run on carriers). */
    private static long allocated() {
        return THREADS.getTotalThreadAllocatedBytes();
    }

    /** Renders each append as the model socket would send it; the text goes nowhere. */
    private static final class RenderingSession implements CallerAudioOnlySession {
        private final boolean tree;
        private final LongAdder appends;
        private final AudioAppendJson writer = new AudioAppendJson("input_audio_buffer.append");
        private int sink;

        RenderingSession(boolean tree, LongAdder appends) {
            this.tree = tree;
            this.appends = appends;
        }

        @Override
        public void callerAudio(short[] pcm) {
            appends.increment();
            String text = tree
                    ? JSON.createObjectNode()
                            .put("type", "input_audio_buffer.append")
                            .put("audio", base64(pcm))
                            .toString()
                    : writer.write(pcm);
            sink += text.length();
        }

        /** How the worker encoded the samples before. */
        private static String base64(short[] pcm) {
            var buf = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            buf.asShortBuffer().put(pcm);
            return Base64.getEncoder().encodeToString(buf.array());
        }
    }
}
