package dev.voicebridge.helidon.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.helidon.problem.Problem;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.DirectHandler.TransportRequest;
import io.helidon.http.DirectHandler.TransportResponse;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the handler makes of Helidon's own refusals, with a service's codes: the service's problem
 * with the status it chose, and a stack trace only for what is our own bug — never for a client
 * that went away.
 */
class DirectProblemHandlerTest {
    /** A service whose codes name the refusal, so the test sees which one the handler chose. */
    static final ServerProblems CODES = (refusal, status) -> switch (refusal) {
        case MALFORMED -> Problem.of("malformed", "Malformed", 400, null, null);
        case HEADERS_TOO_LARGE -> Problem.of("headers", "Headers", 431, null, null);
        case STATUS -> Problem.of("status-" + status, "Status", status >= 500 ? 500 : status, null, null);
    };

    private final DirectProblemHandler handler = new DirectProblemHandler(CODES);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        Logger.getLogger("dev.voicebridge.helidon").addHandler(capture);
    }

    @AfterEach
    void release() {
        Logger.getLogger("dev.voicebridge.helidon").removeHandler(capture);
    }

    private TransportResponse connectionLevel(Status status, String message) {
        return handler.handle(
                TransportRequest.empty(), EventType.BAD_REQUEST, status, ServerResponseHeaders.create(), message);
    }

    private TransportResponse routingLevel(Status status, Throwable thrown) {
        return handler.handle(
                TransportRequest.empty(), EventType.INTERNAL_ERROR, status, ServerResponseHeaders.create(), thrown);
    }

    private static String body(TransportResponse response) {
        return new String(response.entity().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void connectionLevelRefusalsAreTheServicesProblems() {
        var headers = connectionLevel(Status.BAD_REQUEST_400, DirectProblemHandler.HEADER_SIZE_EXCEEDED);
        assertThat(headers.status().code()).isEqualTo(431);
        assertThat(headers.headers().contentType().orElseThrow().text()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(body(headers)).contains("\"code\":\"headers\"");

        // No route ran: a 500 here is a request Helidon could not form (a client gone mid-headers).
        var broken = connectionLevel(Status.INTERNAL_SERVER_ERROR_500, "Bad request, see server log");
        assertThat(broken.status().code()).isEqualTo(400);
        assertThat(body(broken)).contains("\"code\":\"malformed\"");

        var tooLong = connectionLevel(Status.REQUEST_URI_TOO_LONG_414, null);
        assertThat(tooLong.status().code()).isEqualTo(414);
        assertThat(body(tooLong)).contains("\"code\":\"status-414\"");
        assertThat(records).noneMatch(r -> r.getThrown() != null);
    }

    @Test
    void aRouteFailingIsOurBugUnlessTheClientWentAway() {
        var gone = routingLevel(
                Status.INTERNAL_SERVER_ERROR_500,
                RequestException.builder()
                        .message("write failed")
                        .cause(new UncheckedIOException(new IOException("Broken pipe")))
                        .build());
        assertThat(gone.status().code()).isEqualTo(500);
        assertThat(records).as("a client that went away").noneMatch(r -> r.getThrown() != null);

        routingLevel(Status.INTERNAL_SERVER_ERROR_500, new IllegalStateException("our bug"));
        assertThat(records)
                .filteredOn(r -> r.getThrown() != null)
                .singleElement()
                .satisfies(r -> assertThat(r.getThrown()).hasMessage("our bug"));
    }

    @Test
    void clientGoneIsRecognisedThroughTheCauseChain() {
        assertThat(ClientGoneLogFilter.clientGone(new RuntimeException(new java.net.SocketException("reset"))))
                .isTrue();
        assertThat(ClientGoneLogFilter.clientGone(new IOException("Connection reset by peer")))
                .isTrue();
        assertThat(ClientGoneLogFilter.clientGone(new IllegalStateException("our bug")))
                .isFalse();
        assertThat(ClientGoneLogFilter.clientGone(null)).isFalse();
    }
}
