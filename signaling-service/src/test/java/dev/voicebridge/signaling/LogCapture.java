package dev.voicebridge.signaling;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every java.util.logging record the service writes (its own loggers, Helidon's and Jersey's
 * through the JUL bridge) while open. Attach it after the server started: Helidon's logging
 * set-up re-reads logging.properties at start and resets the handlers.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture() {}

    public static LogCapture start() {
        var capture = new LogCapture();
        capture.setLevel(Level.ALL);
        capture.root.addHandler(capture);
        return capture;
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Records at {@code level} or above, as "LEVEL logger message" lines. */
    public List<String> lines(Level atLeast) {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= atLeast.intValue())
                .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + message(r))
                .toList();
    }

    /** Records that carry a stack trace, as "logger message: exception" lines. */
    public List<String> stackTraces() {
        return records.stream()
                .filter(r -> r.getThrown() != null)
                .map(r -> r.getLoggerName() + " " + message(r) + ": " + r.getThrown())
                .toList();
    }

    public void clear() {
        records.clear();
    }

    private static String message(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message != null && parameters != null && parameters.length > 0) {
            try {
                return java.text.MessageFormat.format(message, parameters);
            } catch (IllegalArgumentException e) {
                return message;
            }
        }
        return message;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
