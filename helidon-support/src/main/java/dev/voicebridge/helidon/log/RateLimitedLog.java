package dev.voicebridge.helidon.log;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log lines about what clients, attackers or strangers on the network can cause at any rate (bad
 * requests, malformed datagrams, refused candidates): at most {@code perWindow} lines per key per
 * window, then silence until the next window, whose first line says how many were left out
 * ({@code suppressed=n}). A flood thus costs a few lines a minute, never a line each; counting
 * every one is the metrics' job. Keys come from a fixed set (an event name, a packet kind, a
 * reason), never from the input, so the map cannot grow. Lines are built only when written, and
 * the suppressed path is one map lookup and an uncontended lock: cheap enough per packet.
 */
public final class RateLimitedLog {
    private final Logger logger;
    private final int perWindow;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger logger, int perWindow, Duration window) {
        this(logger, perWindow, window, System::nanoTime);
    }

    RateLimitedLog(Logger logger, int perWindow, Duration window, LongSupplier nanoTime) {
        if (perWindow < 1) {
            throw new IllegalArgumentException("perWindow must be at least 1");
        }
        this.logger = logger;
        this.perWindow = perWindow;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    private static final class Window {
        long start;
        int written;
        long suppressed;
    }

    /** Writes {@code line} unless {@code key} used up its window. */
    public void log(Level level, String key, Supplier<String> line) {
        log(level, key, line, null);
    }

    /**
     * The same with a throwable: for our own bugs that could repeat per request or per packet,
     * whose stack trace we want, but not thousands of times.
     */
    public void log(Level level, String key, Supplier<String> line, Throwable thrown) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long suppressedBefore;
        Window window = windows.computeIfAbsent(key, k -> new Window());
        synchronized (window) {
            long now = nanoTime.getAsLong();
            if (window.written == 0 || now - window.start >= windowNanos) {
                suppressedBefore = window.suppressed;
                window.start = now;
                window.written = 0;
                window.suppressed = 0;
            } else {
                suppressedBefore = 0;
            }
            if (window.written >= perWindow) {
                window.suppressed++;
                return;
            }
            window.written++;
        }
        String text = line.get();
        if (suppressedBefore > 0) {
            text = text + " suppressed=" + suppressedBefore;
        }
        // The logger's name as the source: JUL would otherwise infer this class as the caller.
        if (thrown != null) {
            logger.logp(level, logger.getName(), null, text, thrown);
        } else {
            logger.logp(level, logger.getName(), null, text);
        }
    }
}
