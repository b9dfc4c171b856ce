package dev.voicebridge.helidon.server;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.helidon.log.RateLimitedLog;
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
 * Helidon and Jersey log a stack trace (WARNING or SEVERE) each time they cannot write a response
 * because the client has gone — reset its connection, closed it half way, timed out. That is the
 * client's doing, and one flood of aborted connections would otherwise be thousands of stack
 * traces. This filter, on the loggers that write those records, replaces each by at most one
 * rate-limited line; records about anything else pass untouched.
 */
final class ClientGoneLogFilter implements Filter {
    /** Loggers that report failed response writes; held here so the filter stays on them. */
    private static final List<Logger> LOGGERS = List.of(
            // Jersey, when a resource's response cannot be written.
            Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder"),
            Logger.getLogger("org.glassfish.jersey.server.ServerRuntime"),
            // Helidon's routing, when an error answer cannot be written after a response began
            // ("cannot send error response, as response already sent"), e.g. a client that reset
            // its connection before its health or metrics response was written.
            Logger.getLogger("io.helidon.webserver.http.ErrorHandlers"),
            // Helidon's connection loop, when a connection fails outside a request.
            Logger.getLogger("io.helidon.webserver.ConnectionHandler"),
            Logger.getLogger("io.helidon.webserver.http1.Http1Connection"));

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
        logGone(record.getThrown());
        return false;
    }

    /** One rate-limited line for a response a client did not stay to receive. */
    static void logGone(Throwable thrown) {
        GONE.log(
                Level.INFO,
                "response.undelivered",
                () -> LogLine.of(
                        "response.undelivered",
                        "reason",
                        "client-gone",
                        "error",
                        thrown.getClass().getSimpleName()));
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
