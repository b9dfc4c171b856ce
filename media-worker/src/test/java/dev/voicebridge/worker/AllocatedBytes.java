package dev.voicebridge.worker;

import java.lang.management.ManagementFactory;

/**
 * What a piece of code allocates, counted in bytes on the calling thread: tests pin "nothing per
 * frame" with it instead of timing anything.
 */
public final class AllocatedBytes {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocatedBytes() {}

    /**
     * Runs {@code operation} {@code times} times to load and compile it, then {@code times} times
     * more, and returns the bytes this thread allocated per run of the second set.
     */
    public static long perOperation(int times, Runnable operation) {
        for (int i = 0; i < times; i++) {
            operation.run();
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < times; i++) {
            operation.run();
        }
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / times;
    }
}
