package dev.voicebridge.worker.telemetry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At most one log line per key and interval, for what strangers can cause at any rate (malformed
 * datagrams, refused candidates): the first occurrence is logged, the rest of the interval is only
 * counted, and the next line says how many were not logged. Keys must come from a fixed set
 * (a packet kind, a reason), never from the input, so the map cannot grow. Thread-safe; the
 * suppressed path is one map lookup and one atomic read.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    public RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    RateLimitedLog(Logger log, Duration interval, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Logs {@code message} (built only when logged) unless {@code key} logged within the interval. */
    public void log(Level level, String key, Supplier<String> message) {
        log(level, key, message, null);
    }

    /** The same with a throwable: for our own bugs, whose stack trace we want, but not per packet. */
    public void log(Level level, String key, Supplier<String> message, Throwable thrown) {
        if (!log.isLoggable(level)) {
            return;
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = nanoClock.getAsLong();
        long next = w.nextNanos.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !w.nextNanos.compareAndSet(next, now + intervalNanos)) {
            w.suppressed.incrementAndGet();
            return;
        }
        long skipped = w.suppressed.getAndSet(0);
        String text = message.get() + (skipped > 0 ? " (" + skipped + " more since the last such line)" : "");
        if (thrown != null) {
            log.log(level, text, thrown);
        } else {
            log.log(level, text);
        }
    }
}
