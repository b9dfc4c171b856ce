package dev.voicebridge.operator.observe;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The JDK HTTP server's executor: each exchange on its own virtual thread, at most {@code slots}
 * at once, and each within a deadline. The JDK server reads a request's line, headers and body on
 * the executor's thread, so with a small fixed pool a few clients that never finish their request
 * hold every thread and the probes wait behind them. Here such a client holds only its own slot,
 * and when the deadline passes its thread is interrupted, which closes the connection's channel
 * (the server then drops the connection). When all slots are busy the server closes the new
 * connection at once instead of queueing it.
 */
final class ExchangeDeadlines implements Executor, AutoCloseable {
    private final Semaphore slots;
    private final int capacity;
    private final Duration deadline;
    private final ThreadFactory threads =
            Thread.ofVirtual().name("operator-http-", 0).factory();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("operator-http-deadlines").daemon(true).factory());

    ExchangeDeadlines(int slots, Duration deadline) {
        this.slots = new Semaphore(slots);
        this.capacity = slots;
        this.deadline = deadline;
    }

    @Override
    public void execute(Runnable exchange) {
        if (!slots.tryAcquire()) {
            throw new RejectedExecutionException("all " + capacity + " HTTP exchange slots are busy");
        }
        try {
            threads.newThread(() -> run(exchange)).start();
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    private void run(Runnable exchange) {
        Thread self = Thread.currentThread();
        var expiry = timer.schedule(self::interrupt, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            exchange.run();
        } finally {
            expiry.cancel(false);
            slots.release();
        }
    }

    /** Exchanges running now (tests). */
    int busy() {
        return capacity - slots.availablePermits();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
