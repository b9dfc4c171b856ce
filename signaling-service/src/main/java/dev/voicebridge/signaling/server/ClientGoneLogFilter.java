package dev.voicebridge.signaling.server;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.signaling.telemetry.RateLimitedLog;
import io.helidon.webserver.CloseConnectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Jersey (SEVERE) and Helidon's error handler (WARNING, e.g. a health probe that timed out) log a
 * stack trace each time they cannot write a response because the client has gone — reset its
 * connection, closed it half way, timed out. That is the client's doing, and one flood of aborted connections would otherwise be thousands of stack traces. This filter, on the
 * loggers that write those records, replaces each by at most one rate-limited line; records about
 * anything else pass untouched.
 */
final class ClientGoneLogFilter implements Filter {
    /** Loggers that report failed response writes; held here so the filter stays on them. */
    private static final List<Logger> LOGGERS = List.of(
            Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder"),
            Logger.getLogger("org.glassfish.jersey.server.ServerRuntime"),
            // Helidon's own routes (health, metrics): "cannot send error response" with the trace
            Logger.getLogger("io.helidon.webserver.http.ErrorHandlers"));

    private static final Logger LOG = Logger.getLogger(ClientGoneLogFilter.class.getName());
    private static final RateLimitedLog GONE = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));

    static void install() {
        var filter = new ClientGoneLogFilter();
        LOGGERS.forEach(logger -> logger.setFilter(filter));
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!clientGone(record.getThrown())) {
            return true;
        }
        GONE.log(
                Level.INFO,
                "response.undelivered",
                () -> LogLine.of(
                        "response.undelivered",
                        "reason",
                        "client-gone",
                        "error",
                        record.getThrown().getClass().getSimpleName()));
        return false;
    }

    static boolean clientGone(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof CloseConnectionException // incl. Helidon's ServerConnectionException
                    || t instanceof SocketException
                    || t instanceof ClosedChannelException
                    || (t instanceof IOException && isBrokenPipe(t.getMessage()))
                    || (t instanceof UncheckedIOException && t.getCause() instanceof SocketException)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isBrokenPipe(String message) {
        return message != null && (message.contains("Broken pipe") || message.contains("Connection reset"));
    }
}
