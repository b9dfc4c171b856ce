package dev.voicebridge.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.testkit.net.SlowClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's HTTP endpoints stay available while clients hold unfinished requests (slowloris),
 * drop those clients, and answer anything else with a problem, never a stack trace.
 */
class HttpEndpointsTest {
    /** More than any fixed worker pool we would size for three GET endpoints. */
    private static final int SLOW = 12;

    private HttpEndpoints endpoints;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(capture);
        endpoints = new HttpEndpoints(
                HttpEndpoints.Settings.loopback(Duration.ofSeconds(1)), () -> true, () -> false, new OperatorMetrics());
    }

    @AfterEach
    void stop() {
        endpoints.close();
        Logger.getLogger("").removeHandler(capture);
    }

    @ParameterizedTest
    @EnumSource(SlowClients.Mode.class)
    void healthAndMetricsAnswerWhileSlowClientsHoldConnectionsAndTheSlowOnesAreDropped(SlowClients.Mode mode)
            throws Exception {
        var target = new InetSocketAddress("127.0.0.1", endpoints.port());
        try (var slow = SlowClients.hold(target, SLOW, mode, "/health/live")) {
            // A kubelet probe gives up after 1 s by default; a stalled server fails it (the client
            // bound here is looser only to tolerate a loaded test machine).
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            assertThat(get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(get("/metrics").statusCode()).isEqualTo(200);
            // Request line or body never finished: dropped at the 1 s exchange deadline. Silent
            // connections never reach an exchange; the JDK server's idle timer closes them (30 s,
            // checked every 10 s; 2 s and 500 ms in this module's tests, see its pom).
            Duration bound = Duration.ofSeconds(10);
            await().atMost(bound).until(() -> slow.endedByServer() == SLOW);
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoints.busyExchanges() == 0);
        }
        assertThat(logged).as("log lines caused by slow clients").isEmpty();
    }

    @Test
    void unknownPathsAndMethodsGetAProblemNotAStackTrace() throws Exception {
        var missing = send(HttpRequest.newBuilder(uri("/actuator/env")).GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(missing.body()).contains("\"code\":\"not-found\"").doesNotContain("Exception");

        var post = send(HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(post.body()).contains("\"code\":\"method-not-allowed\"");

        var dotted = send(HttpRequest.newBuilder(uri("/health/../metrics")).GET());
        assertThat(dotted.statusCode())
                .as("paths are matched exactly, not normalised")
                .isEqualTo(404);

        assertThat(get("/metrics").body()).contains("voicebridge_reconciliations_total");
        assertThat(logged).isEmpty();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + endpoints.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
