package dev.voicebridge.worker.pipeline;

import dev.voicebridge.api.log.LogLine;
import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one 20 ms clock every call of a worker runs on (see DESIGN.md in this package).
 *
 * <p>Tick n is due at {@code start + n * 20 ms}, computed from the start, never from the previous
 * tick, so lateness in one tick never shifts the next: no drift accumulates, and the RTP
 * timestamps the send path derives from tick numbers stay locked to real time. After a stall the
 * pacer runs missed ticks back to back up to {@code maxCatchUpTicks}, then skips to the present
 * (skipped ticks are counted; tick numbers jump so the send path can advance its RTP clock).
 *
 * <p>One named platform thread runs every registered call's tick in turn. Ticks must not block;
 * an exception from one call is logged and counted and never stops the others.
 */
public final class Pacer implements AutoCloseable {
    /** A call's per-tick work. */
    @FunctionalInterface
    public interface Tickable {
        /**
         * @param tick the tick number (gaps mean skipped ticks)
         * @param scheduledNanos when this tick was due on the pacer's clock
         */
        void onTick(long tick, long scheduledNanos);
    }

    /** Handle returned by {@link #register}; closing it unregisters. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    public static final long PERIOD_NANOS = MediaConfig.FRAME_MILLIS * 1_000_000L;

    private static final System.Logger LOG = System.getLogger(Pacer.class.getName());

    private final String name;
    private final NanoClock clock;
    private final int maxCatchUpTicks;
    private final long lateThresholdNanos;
    private final CopyOnWriteArrayList<Tickable> tickables = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> beforeTicks = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> afterTicks = new CopyOnWriteArrayList<>();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong lateTicks = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();
    private final AtomicLong tickErrors = new AtomicLong();
    private final AtomicLong maxLatenessNanos = new AtomicLong();

    private final long startNanos;
    private long nextTick;
    private volatile boolean running;
    private Thread thread;

    public Pacer(String name, NanoClock clock, int maxCatchUpTicks, int lateThresholdMillis) {
        this.name = name;
        this.clock = clock;
        this.maxCatchUpTicks = maxCatchUpTicks;
        this.lateThresholdNanos = lateThresholdMillis * 1_000_000L;
        this.startNanos = clock.nanoTime();
    }

    public Pacer(String name, MediaConfig config) {
        this(name, NanoClock.system(), config.pacerMaxCatchUpTicks(), config.pacerLateThresholdMillis());
    }

    public Registration register(Tickable tickable) {
        tickables.add(tickable);
        return () -> tickables.remove(tickable);
    }

    /**
     * Runs {@code before} ahead of every tick's calls and {@code after} once they all ran, on the
     * pacer thread: the shared port holds the sender thread's wake-up during a tick and gives it
     * once after, instead of once per call's packet.
     */
    public Registration aroundTicks(Runnable before, Runnable after) {
        beforeTicks.add(before);
        afterTicks.add(after);
        return () -> {
            beforeTicks.remove(before);
            afterTicks.remove(after);
        };
    }

    /** Starts the pacing thread (named after this pacer, a platform thread for steady scheduling). */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = Thread.ofPlatform()
                .name(name)
                .daemon(true)
                .priority(Thread.MAX_PRIORITY)
                .unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        while (running) {
            long now = clock.nanoTime();
            long due = dueNanos(nextTick);
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            runDue(now);
        }
    }

    /**
     * Runs every tick due at {@code now}: the engine of {@link #start()}'s thread, public so tests
     * drive it with a manual clock. Returns the number of ticks run.
     */
    public int runDue(long now) {
        long behind = (now - dueNanos(nextTick)) / PERIOD_NANOS; // whole periods past the due tick
        if (behind >= maxCatchUpTicks) {
            long skip = behind - maxCatchUpTicks + 1;
            skippedTicks.addAndGet(skip);
            nextTick += skip;
        }
        int ran = 0;
        while (dueNanos(nextTick) <= now) {
            long due = dueNanos(nextTick);
            long lateness = clock.nanoTime() - due;
            if (lateness > lateThresholdNanos) {
                lateTicks.incrementAndGet();
            }
            maxLatenessNanos.accumulateAndGet(lateness, Math::max);
            runAll(beforeTicks);
            for (Tickable t : tickables) {
                try {
                    t.onTick(nextTick, due);
                } catch (RuntimeException e) {
                    tickErrors.incrementAndGet();
                    LOG.log(Level.WARNING, LogLine.of("pacer.tick-failed", "tickable", t), e);
                }
            }
            runAll(afterTicks);
            ticks.incrementAndGet();
            nextTick++;
            ran++;
        }
        return ran;
    }

    private void runAll(CopyOnWriteArrayList<Runnable> hooks) {
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                tickErrors.incrementAndGet();
                LOG.log(Level.WARNING, LogLine.of("pacer.tick-hook-failed", "hook", hook), e);
            }
        }
    }

    /** When tick {@code n} is due: always from the start, never from the previous tick. */
    public long dueNanos(long n) {
        return startNanos + n * PERIOD_NANOS;
    }

    public int registered() {
        return tickables.size();
    }

    public long ticks() {
        return ticks.get();
    }

    public long lateTicks() {
        return lateTicks.get();
    }

    public long skippedTicks() {
        return skippedTicks.get();
    }

    public long tickErrors() {
        return tickErrors.get();
    }

    public long maxLatenessNanos() {
        return maxLatenessNanos.get();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public String toString() {
        return "Pacer[" + name + ", calls=" + tickables.size() + ", ticks=" + ticks.get() + ", late=" + lateTicks.get()
                + ", skipped=" + skippedTicks.get() + "]";
    }
}
