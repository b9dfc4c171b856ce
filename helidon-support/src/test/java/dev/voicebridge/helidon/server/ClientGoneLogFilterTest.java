package dev.voicebridge.helidon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A health probe that gives up before the answer is written made Helidon's error handler log a
 * WARNING with a 60-line "Broken pipe" stack trace (seen on every start of the local stack).
 */
class ClientGoneLogFilterTest {
    @Test
    void helidonsCannotSendErrorResponseForAGoneClientIsNoStackTrace() {
        ClientGoneLogFilter.install();
        Logger errorHandlers = Logger.getLogger("io.helidon.webserver.http.ErrorHandlers");
        assertThat(errorHandlers.getFilter()).isNotNull();

        var gone = new LogRecord(Level.WARNING, "Request failed: ... cannot send error response");
        gone.setThrown(new IllegalStateException(new UncheckedIOException(new IOException("Broken pipe"))));
        assertThat(errorHandlers.getFilter().isLoggable(gone)).isFalse();

        var ours = new LogRecord(Level.WARNING, "Request failed");
        ours.setThrown(new IllegalStateException("a bug of ours"));
        assertThat(errorHandlers.getFilter().isLoggable(ours)).isTrue();
    }
}
