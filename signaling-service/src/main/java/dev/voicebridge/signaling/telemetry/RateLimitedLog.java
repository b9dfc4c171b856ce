package dev.voicebridge.signaling.telemetry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log lines about what clients (or attackers) send: at most {@code perWindow} lines per event name
 * per window, then silence until the next window, whose first line says how many were left out
 * ({@code suppressed=n}). A flood of bad requests thus costs a few lines a minute, never a line
 * each; counting them is the metrics' job. Lines are built only when they are written.
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

    /** Writes {@code line} (one {@link dev.voicebridge.api.log.LogLine} line) unless {@code event} used up its window. */
    public void log(Level level, String event, Supplier<String> line) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long suppressedBefore;
        // A small fixed set of event names: the map cannot grow with what clients send.
        Window window = windows.computeIfAbsent(event, e -> new Window());
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
        logger.log(level, suppressedBefore == 0 ? text : text + " suppressed=" + suppressedBefore);
    }
}
