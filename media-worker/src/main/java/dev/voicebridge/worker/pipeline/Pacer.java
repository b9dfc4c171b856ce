package dev.voicebridge.worker.pipeline;

import dev.voicebridge.api.log.LogLine;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The 20 ms clock every call of a worker runs on (see DESIGN.md in this package).
 *
 * <p>Tick n is due at {@code start + n * 20 ms}, computed from the start, never from the previous
 * tick, so lateness in one tick never shifts the next: no drift accumulates, and the RTP
 * timestamps the send path derives from tick numbers stay locked to real time. After a stall the
 * pacer runs missed ticks back to back up to {@code maxCatchUpTicks}, then skips to the present
 * (skipped ticks are counted; tick numbers jump so the send path can advance its RTP clock).
 *
 * <p>One named platform thread per shard (by default one per processor) runs its calls' ticks in
 * turn; a call joins the shard with the fewest calls and stays on it, so each call is ticked by one
 * thread. Shard k's ticks are due {@code k * 20 ms / shards} after shard 0's: the shards' bursts of
 * work take turns instead of competing for the cores at the same instant, and no tick waits for
 * more than its own shard's calls. Ticks must not block; an exception from one call is logged and
 * counted and never stops the others.
 */
public final class Pacer implements AutoCloseable {
    /**
     * A call's per-tick work, in two parts: {@link #onTick} is what the tick's packet waits for,
     * {@link #afterSends} the rest. A shard runs every call's {@code onTick}, hands the packets to
     * the sender, and only then every call's {@code afterSends}: no caller's packet waits for
     * another call's receive-side work.
     */
    @FunctionalInterface
    public interface Tickable {
        /**
         * The send path of the tick.
         *
         * @param tick the tick number (gaps mean skipped ticks)
         * @param scheduledNanos when this tick was due on the pacer's clock
         */
        void onTick(long tick, long scheduledNanos);

        /** The tick's work no packet of it waits for, run once every call of the shard sent. */
        default void afterSends(long tick) {}
    }

    /** Handle returned by {@link #register}; closing it unregisters. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    public static final long PERIOD_NANOS = MediaConfig.FRAME_MILLIS * 1_000_000L;

    /**
     * The bounds (ms) of {@link #ticksFinishedLaterThan}: how long after its due time a tick had
     * handed every call's packet to the send path. A caller hears that lateness as a longer gap.
     */
    public static final List<Integer> FINISH_LATENESS_BOUNDS_MILLIS = List.of(2, 5, 10, 15, 20, 30, 50);

    private static final System.Logger LOG = System.getLogger(Pacer.class.getName());

    private final String name;
    private final NanoClock clock;
    private final int maxCatchUpTicks;
    private final long lateThresholdNanos;
    private final Shard[] shards;
    private final CopyOnWriteArrayList<Runnable> beforeTicks = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> afterTicks = new CopyOnWriteArrayList<>();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong lateTicks = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();
    private final AtomicLong tickErrors = new AtomicLong();
    private final AtomicLong maxLatenessNanos = new AtomicLong();
    private final AtomicLongArray finishedLaterThan = new AtomicLongArray(FINISH_LATENESS_BOUNDS_MILLIS.size());

    private volatile boolean running;
    private boolean started;

    /** A pacer of one shard (one thread). */
    public Pacer(String name, NanoClock clock, int maxCatchUpTicks, int lateThresholdMillis) {
        this(name, clock, maxCatchUpTicks, lateThresholdMillis, 1);
    }

    public Pacer(String name, NanoClock clock, int maxCatchUpTicks, int lateThresholdMillis, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards >= 1");
        }
        this.name = name;
        this.clock = clock;
        this.maxCatchUpTicks = maxCatchUpTicks;
        this.lateThresholdNanos = lateThresholdMillis * 1_000_000L;
        long startNanos = clock.nanoTime();
        this.shards = new Shard[shards];
        for (int k = 0; k < shards; k++) {
            this.shards[k] = new Shard(shards == 1 ? name : name + "-" + k, startNanos + k * (PERIOD_NANOS / shards));
        }
    }

    public Pacer(String name, MediaConfig config) {
        this(
                name,
                NanoClock.system(),
                config.pacerMaxCatchUpTicks(),
                config.pacerLateThresholdMillis(),
                config.pacerThreadCount());
    }

    /** Adds a call to the shard with the fewest calls; it is ticked there, by that shard's thread only. */
    public Registration register(Tickable tickable) {
        Shard shard;
        synchronized (shards) {
            shard = shards[0];
            for (Shard s : shards) {
                if (s.tickables.size() < shard.tickables.size()) {
                    shard = s;
                }
            }
            shard.tickables.add(tickable);
        }
        Shard joined = shard;
        return () -> joined.tickables.remove(tickable);
    }

    /**
     * Runs {@code before} ahead of each shard's tick and {@code after} once that tick's calls all
     * ran, on the shard's thread: the shared port holds the sender thread's wake-up during a tick
     * and gives it once after, instead of once per call's packet.
     */
    public Registration aroundTicks(Runnable before, Runnable after) {
        beforeTicks.add(before);
        afterTicks.add(after);
        return () -> {
            beforeTicks.remove(before);
            afterTicks.remove(after);
        };
    }

    /** Starts the shards' threads (named after this pacer, platform threads for steady scheduling). */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        running = true;
        for (Shard shard : shards) {
            shard.thread = Thread.ofPlatform()
                    .name(shard.name)
                    .daemon(true)
                    .priority(Thread.MAX_PRIORITY)
                    .unstarted(shard::loop);
            shard.thread.start();
        }
    }

    /**
     * Runs every tick due at {@code now} on every shard, shard by shard: the engine of
     * {@link #start()}'s threads, public so tests drive it with a manual clock. Returns the number of
     * ticks run.
     */
    public int runDue(long now) {
        int ran = 0;
        for (Shard shard : shards) {
            ran += shard.runDue(now);
        }
        return ran;
    }

    /** When shard 0's tick {@code n} is due: always from the start, never from the previous tick. */
    public long dueNanos(long n) {
        return shards[0].dueNanos(n);
    }

    public int shards() {
        return shards.length;
    }

    public int registered() {
        int n = 0;
        for (Shard shard : shards) {
            n += shard.tickables.size();
        }
        return n;
    }

    /** Ticks run, all shards. */
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

    /**
     * Ticks that had not handed every call's packet to the send path {@code millis} after they were
     * due ({@code millis} one of {@link #FINISH_LATENESS_BOUNDS_MILLIS}; the receive side, run after
     * the sends, does not count); with {@link #ticks()}, the share of late ticks.
     */
    public long ticksFinishedLaterThan(int millis) {
        int i = FINISH_LATENESS_BOUNDS_MILLIS.indexOf(millis);
        if (i < 0) {
            throw new IllegalArgumentException("not a bound: " + millis + " ms");
        }
        return finishedLaterThan.get(i);
    }

    public long maxLatenessNanos() {
        return maxLatenessNanos.get();
    }

    @Override
    public synchronized void close() {
        running = false;
        for (Shard shard : shards) {
            if (shard.thread != null) {
                LockSupport.unpark(shard.thread);
            }
        }
    }

    @Override
    public String toString() {
        return "Pacer[" + name + ", shards=" + shards.length + ", calls=" + registered() + ", ticks=" + ticks.get()
                + ", late=" + lateTicks.get() + ", skipped=" + skippedTicks.get() + "]";
    }

    private void countFinish(long latenessNanos) {
        for (int i = 0; i < FINISH_LATENESS_BOUNDS_MILLIS.size(); i++) {
            if (latenessNanos <= FINISH_LATENESS_BOUNDS_MILLIS.get(i) * 1_000_000L) {
                return;
            }
            finishedLaterThan.incrementAndGet(i);
        }
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

    /** One thread's calls and schedule. */
    private final class Shard {
        final String name;
        final long firstDueNanos;
        final CopyOnWriteArrayList<Tickable> tickables = new CopyOnWriteArrayList<>();
        long nextTick;
        Thread thread;

        Shard(String name, long firstDueNanos) {
            this.name = name;
            this.firstDueNanos = firstDueNanos;
        }

        long dueNanos(long n) {
            return firstDueNanos + n * PERIOD_NANOS;
        }

        void loop() {
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

        int runDue(long now) {
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
                countFinish(clock.nanoTime() - due);
                for (Tickable t : tickables) {
                    try {
                        t.afterSends(nextTick);
                    } catch (RuntimeException e) {
                        tickErrors.incrementAndGet();
                        LOG.log(Level.WARNING, LogLine.of("pacer.tick-failed", "tickable", t), e);
                    }
                }
                ticks.incrementAndGet();
                nextTick++;
                ran++;
            }
            return ran;
        }
    }
}
