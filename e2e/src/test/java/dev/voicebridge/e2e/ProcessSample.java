package dev.voicebridge.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One reading of a Linux process from /proc: CPU time in all and per thread, resident memory and
 * thread count. Two readings give what the process spent in between, by thread group. CPU is in
 * clock ticks of 10 ms (USER_HZ 100, the Linux default; {@code getconf CLK_TCK}).
 *
 * @param cpuTicks utime + stime of the whole process (threads that ended included)
 * @param threadTicks utime + stime per live thread id, with its name
 */
record ProcessSample(long nanoTime, long cpuTicks, long rssKb, int threads, Map<Long, Named> threadTicks) {
    static final long NANOS_PER_TICK = 10_000_000L;

    record Named(String name, long ticks) {}

    static ProcessSample of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long now = System.nanoTime();
        try {
            long cpu = ticks(Files.readString(proc.resolve("stat")));
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            var perThread = new HashMap<Long, Named>();
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                tasks.forEach(task -> {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        perThread.put(Long.parseLong(task.getFileName().toString()), new Named(name, ticks(stat)));
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended while we listed
                    }
                });
            }
            return new ProcessSample(now, cpu, rss, threads, perThread);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid, e);
        }
    }

    /** utime + stime: fields 14 and 15, counted after the parenthesised name (which may hold spaces). */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** A thread's name with digits and hex ids folded ("IceConnector@#"). */
    private static String folded(String name) {
        return name.replaceAll("[0-9a-f]{5,}|\\d+", "#");
    }

    /** Live threads by name, digits and hex ids folded ("IceConnector@#"), most numerous first. */
    Map<String, Integer> threadNames() {
        var counts = new java.util.TreeMap<String, Integer>();
        threadTicks.values().forEach(t -> counts.merge(folded(t.name()), 1, Integer::sum));
        return counts;
    }

    /**
     * Cores used between {@code earlier} and this sample by thread name, digits and hex ids folded
     * as in {@link #threadNames()}: where a process without {@link ThreadGroups} rules (the load
     * generator) spends its time.
     */
    Map<String, Double> coresByNameSince(ProcessSample earlier) {
        var ticks = new java.util.TreeMap<String, Long>();
        threadTicks.forEach((tid, now) -> {
            Named before = earlier.threadTicks.get(tid);
            long spent = now.ticks() - (before == null ? 0 : before.ticks());
            ticks.merge(folded(now.name()), spent, Long::sum);
        });
        double elapsed = nanoTime - earlier.nanoTime;
        var cores = new java.util.TreeMap<String, Double>();
        ticks.forEach((name, t) -> cores.put(name, t * NANOS_PER_TICK / elapsed));
        return cores;
    }

    /** Cores used between {@code earlier} and this sample (1.0 = one core all the time). */
    double coresSince(ProcessSample earlier) {
        return (cpuTicks - earlier.cpuTicks) * NANOS_PER_TICK / (double) (nanoTime - earlier.nanoTime);
    }

    /** Cores used between {@code earlier} and this sample, by thread group ({@link ThreadGroups}). */
    Map<String, Double> coresByGroupSince(ProcessSample earlier) {
        var ticks = new HashMap<String, Long>();
        threadTicks.forEach((tid, now) -> {
            Named before = earlier.threadTicks.get(tid);
            long spent = now.ticks() - (before == null ? 0 : before.ticks());
            ticks.merge(ThreadGroups.of(now.name()), spent, Long::sum);
        });
        // Threads that ended in between: the process total has them, the per-thread readings not.
        long named = ticks.values().stream().mapToLong(Long::longValue).sum();
        long ended = (cpuTicks - earlier.cpuTicks) - named;
        if (ended > 0) {
            ticks.merge("ended threads", ended, Long::sum);
        }
        double elapsed = nanoTime - earlier.nanoTime;
        var cores = new HashMap<String, Double>();
        ticks.forEach((group, t) -> cores.put(group, t * NANOS_PER_TICK / elapsed));
        return cores;
    }
}
