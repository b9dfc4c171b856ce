package dev.voicebridge.testkit.realtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one connection's tasks one at a time, in order, on a pool shared by every connection:
 * the connection's protocol state stays confined as on a thread of its own, without a platform
 * thread per connection (a load test holds hundreds) or a thread hand-off that must wake it.
 * After {@link #shutdown()} queued and new tasks are dropped.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean shutdown;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            return;
        }
        tasks.add(task);
        schedule();
    }

    void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    boolean isShutdown() {
        return shutdown;
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable task;
            while (!shutdown && (task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            draining.set(false);
            // A task added after our last poll but before the flag cleared would wait forever.
            if (!shutdown && !tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
