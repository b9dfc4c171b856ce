package dev.voicebridge.testkit.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake model services' WebSocket server against RFC 6455: the JDK client (the one the media
 * worker uses) for what it sends, raw socket bytes for what it will not.
 */
@Timeout(30)
class FakeWebSocketHostIT {
    private static final String PATH = "/v1/echo";
    private static final int MAX = 100_000;

    /** Echoes every text; {@code close:<code>:<reason>} makes the server close instead. */
    static final class Echo implements WsListener {
        final FakeWebSocketHost.Upgrade upgrade;
        final List<String> texts = new CopyOnWriteArrayList<>();
        volatile WsConnection connection;
        volatile String closed;

        Echo(FakeWebSocketHost.Upgrade upgrade) {
            this.upgrade = upgrade;
        }

        @Override
        public void onOpen(WsConnection c) {
            connection = c;
        }

        @Override
        public void onText(String text) {
            texts.add(text);
            try {
                if (text.startsWith("close:")) {
                    String[] p = text.split(":", 3);
                    connection.close(Integer.parseInt(p[1]), p[2]);
                } else {
                    connection.sendText(text);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            closed = code + " " + reason;
        }
    }

    private final List<Echo> served = new CopyOnWriteArrayList<>();
    private final FakeWebSocketHost host = FakeWebSocketHost.start(PATH, MAX, u -> {
        var e = new Echo(u);
        served.add(e);
        return e;
    });

    @AfterEach
    void stop() {
        host.close();
    }

    /** A JDK client that keeps whole texts and the close it got. */
    static final class Client implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();
        volatile String closed;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed = statusCode + " " + reason;
            return null;
        }
    }

    private WebSocket connect(Client client, String query) throws Exception {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer sk-test")
                .buildAsync(URI.create(host.uri() + query), client)
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void theJdkClientUpgradesWithItsHeadersAndQueryAndGetsEveryTextBack() throws Exception {
        var client = new Client();
        var ws = connect(client, "?model=gpt-realtime&note=a%20b&flag");
        var upgrade = served.get(0).upgrade;
        assertThat(upgrade.bearer("sk-test")).isTrue();
        assertThat(upgrade.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(upgrade.parameter("model")).isEqualTo("gpt-realtime");
        assertThat(upgrade.parameter("note")).isEqualTo("a b");
        assertThat(upgrade.parameters()).containsKeys("model", "note", "flag");

        String small = "{\"type\":\"ping\"}";
        String unicode = "héllo € \uD83D\uDE00 — ünïcode";
        String medium = "m".repeat(300); // 16-bit length
        String large = "x".repeat(70_000); // 64-bit length, maybe fragmented by the client
        for (String s : List.of(small, unicode, medium, large)) {
            ws.sendText(s, true).join();
        }
        // the client's own fragments: a text frame and two continuations
        ws.sendText("frag", false).join();
        ws.sendText("ment", false).join();
        ws.sendText("ed ✓", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.texts.size() == 5);
        assertThat(client.texts).containsExactly(small, unicode, medium, large, "fragmented ✓");
        assertThat(served.get(0).texts).containsExactly(small, unicode, medium, large, "fragmented ✓");
        ws.abort();
    }

    @Test
    void sendsFromManyThreadsAtOnceArriveWholeAndEachThreadsInOrder() throws Exception {
        var client = new Client();
        var ws = connect(client, "");
        var connection = served.get(0).connection;
        int threads = 4;
        int each = 300;
        String padding = "p".repeat(1_400); // the size of a realtime audio delta
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        connection.sendText(thread + ":" + i + ":" + padding);
                    }
                    return null;
                });
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.texts.size() == threads * each);
        int[] next = new int[threads];
        for (String text : client.texts) {
            String[] p = text.split(":", 3);
            int thread = Integer.parseInt(p[0]);
            assertThat(Integer.parseInt(p[1])).isEqualTo(next[thread]++);
            assertThat(p[2]).isEqualTo(padding);
        }
        ws.abort();
    }

    @Test
    void theServersCloseCodeAndReasonReachTheClientAndSendsFailAfterIt() throws Exception {
        var client = new Client();
        var ws = connect(client, "");
        ws.sendText("close:1013:try again later", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.closed != null);
        assertThat(client.closed).isEqualTo("1013 try again later");
        var echo = served.get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> echo.closed != null);
        assertThat(echo.closed).isEqualTo("1013 try again later");
        assertThat(echo.connection.isOpen()).isFalse();
        assertThatThrownBy(() -> echo.connection.sendText("late")).isInstanceOf(IOException.class);
        echo.connection.close(1000, "again"); // a second close does nothing
    }

    @Test
    void theClientsCloseIsEchoedAndReported() throws Exception {
        var client = new Client();
        var ws = connect(client, "");
        ws.sendClose(4001, "bye").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.closed != null && served.get(0).closed != null);
        assertThat(client.closed).startsWith("4001");
        assertThat(served.get(0).closed).isEqualTo("4001 bye");
    }

    @Test
    void theUpgradeAnswerFollowsTheRfcAndFramesFlowBothWays() throws Exception {
        try (var raw = new RawWsClient(host.port())) {
            String head = raw.upgrade(PATH + "?a=1");
            assertThat(head).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: " + RawWsClient.ACCEPT);
            raw.sendText("hi");
            var echo = raw.read();
            assertThat(echo.fin()).isTrue();
            assertThat(echo.opcode()).isEqualTo(0x1);
            assertThat(echo.text()).isEqualTo("hi");
            String big = "y".repeat(70_000);
            raw.sendText(big);
            assertThat(raw.read().text()).isEqualTo(big);
        }
    }

    @Test
    void fragmentsAreJoinedAndAPingBetweenThemIsAnswered() throws Exception {
        try (var raw = new RawWsClient(host.port())) {
            raw.upgrade(PATH);
            raw.send(false, 0x1, "Hel".getBytes(StandardCharsets.UTF_8), true);
            raw.send(true, 0x9, new byte[] {1, 2, 3}, true);
            // a two-byte character cut between fragments
            byte[] e = "lé".getBytes(StandardCharsets.UTF_8);
            raw.send(false, 0x0, new byte[] {e[0], e[1]}, true);
            raw.send(true, 0x0, new byte[] {e[2], 'o'}, true);
            var pong = raw.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.payload()).containsExactly(1, 2, 3);
            assertThat(raw.read().text()).isEqualTo("Helléo");
        }
    }

    @Test
    void anUnmaskedFrameFailsTheConnectionWith1002() throws Exception {
        assertFails(raw -> raw.send(true, 0x1, "plain".getBytes(StandardCharsets.UTF_8), false), 1002);
    }

    @Test
    void aBinaryMessageIsRefusedWith1003() throws Exception {
        assertFails(raw -> raw.send(true, 0x2, new byte[] {1, 2, 3}, true), 1003);
    }

    @Test
    void invalidUtf8FailsWith1007() throws Exception {
        assertFails(raw -> raw.send(true, 0x1, new byte[] {'o', 'k', (byte) 0xC3, 0x28}, true), 1007);
    }

    @Test
    void aMessageOverTheLimitFailsWith1009EvenInFragments() throws Exception {
        assertFails(raw -> raw.send(true, 0x1, new byte[MAX + 1], true), 1009);
        assertFails(
                raw -> {
                    raw.send(false, 0x1, new byte[MAX / 2 + 1], true);
                    raw.send(true, 0x0, new byte[MAX / 2], true);
                },
                1009);
    }

    @Test
    void continuationWithoutAMessageAndFragmentedControlFramesFailWith1002() throws Exception {
        assertFails(raw -> raw.send(true, 0x0, "x".getBytes(StandardCharsets.UTF_8), true), 1002);
        assertFails(raw -> raw.send(false, 0x9, new byte[0], true), 1002);
        assertFails(raw -> raw.send(true, 0x3, new byte[0], true), 1002);
    }

    @Test
    void aRawCloseIsEchoedWithItsCodeThenTheServerEndsTheConnection() throws Exception {
        try (var raw = new RawWsClient(host.port())) {
            raw.upgrade(PATH);
            raw.sendClose(4001, "done");
            var close = raw.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(4001);
            raw.awaitEnd();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> served.get(0).closed != null);
        assertThat(served.get(0).closed).isEqualTo("4001 done");
    }

    @Test
    void badUpgradesGetPlainHttpErrors() throws Exception {
        assertRefused(
                "HTTP/1.1 404 ",
                "GET /elsewhere HTTP/1.1",
                "Host: x",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + RawWsClient.KEY,
                "Sec-WebSocket-Version: 13");
        assertRefused("HTTP/1.1 426 ", "GET " + PATH + " HTTP/1.1", "Host: x");
        assertRefused(
                "HTTP/1.1 426 ",
                "GET " + PATH + " HTTP/1.1",
                "Host: x",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + RawWsClient.KEY,
                "Sec-WebSocket-Version: 8");
        assertRefused(
                "HTTP/1.1 400 ",
                "GET " + PATH + " HTTP/1.1",
                "Host: x",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Version: 13");
        assertRefused(
                "HTTP/1.1 400 ",
                "GET " + PATH + " HTTP/1.1",
                "Host: x",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: c2hvcnQ=",
                "Sec-WebSocket-Version: 13");
        assertRefused(
                "HTTP/1.1 400 ",
                "POST " + PATH + " HTTP/1.1",
                "Host: x",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + RawWsClient.KEY,
                "Sec-WebSocket-Version: 13");
        assertRefused("HTTP/1.1 400 ", "GET " + PATH + " HTTP/1.0", "Host: x");
        assertThat(served).isEmpty();
    }

    @Test
    void servesPlainHttpUnderItsPrefixBesideTheWebSocket() throws Exception {
        var seen = new CopyOnWriteArrayList<PlainHttp.Request>();
        host.serveHttp(PATH + "/rest", r -> {
            seen.add(r);
            return PlainHttp.Reply.text(
                            201,
                            "text/plain",
                            r.method() + " " + r.path() + " " + new String(r.body(), StandardCharsets.UTF_8))
                    .withHeader("Location", PATH + "/rest/1");
        });
        String base = "http://127.0.0.1:" + host.port();
        try (var http = HttpClient.newHttpClient()) {
            var created = http.send(
                    HttpRequest.newBuilder(URI.create(base + PATH + "/rest/x?a=b"))
                            .header("Authorization", "Bearer t")
                            .POST(HttpRequest.BodyPublishers.ofString("hello"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.body()).isEqualTo("POST " + PATH + "/rest/x hello");
            assertThat(created.headers().firstValue("Location")).hasValue(PATH + "/rest/1");
            assertThat(seen.get(0).bearer("t")).isTrue();
            assertThat(seen.get(0).parameters().get("a")).containsExactly("b");

            var tooBig = http.send(
                    HttpRequest.newBuilder(URI.create(base + PATH + "/rest"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "x".repeat(FakeWebSocketHost.MAX_HTTP_BODY_BYTES + 1)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooBig.statusCode()).isEqualTo(413);
            // the WebSocket path still wants an upgrade
            var get = http.send(
                    HttpRequest.newBuilder(URI.create(base + PATH)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(426);
        }
        assertRefused("HTTP/1.1 411 ", "POST " + PATH + "/rest HTTP/1.1", "Host: x", "Transfer-Encoding: chunked");
        // a WebSocket upgrade under the prefix is not the handler's: no endpoint there
        assertRefused(
                "HTTP/1.1 404 ",
                "GET " + PATH + "/rest HTTP/1.1",
                "Host: x",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + RawWsClient.KEY,
                "Sec-WebSocket-Version: 13");
        assertThat(seen).hasSize(1); // the oversized body never reached it
        assertThat(served).isEmpty();
    }

    @Test
    void aListenerFactoryMayRefuseAnUpgradeWithAPlainResponse() throws Exception {
        try (var refusing = FakeWebSocketHost.start(PATH, u -> {
                    throw new PlainHttp.RefusedUpgrade(PlainHttp.Reply.json(404, "{\"error\":{}}"));
                });
                var raw = new RawWsClient(refusing.port())) {
            assertThat(raw.upgrade(PATH)).startsWith("HTTP/1.1 404 ").contains("Content-Type: application/json");
            raw.awaitEnd();
        }
    }

    private interface RawAction {
        void run(RawWsClient raw) throws IOException;
    }

    /** After {@code action} the server sends a close frame with {@code code} and ends the connection. */
    private void assertFails(RawAction action, int code) throws Exception {
        int before = served.size();
        try (var raw = new RawWsClient(host.port())) {
            assertThat(raw.upgrade(PATH)).startsWith("HTTP/1.1 101 ");
            action.run(raw);
            assertThat(raw.readClose().closeCode()).isEqualTo(code);
            raw.sendClose(code, "");
            raw.awaitEnd();
        }
        var echo = served.get(before);
        await().atMost(Duration.ofSeconds(5)).until(() -> echo.closed != null);
        assertThat(echo.closed).startsWith(code + " ");
        assertThat(echo.texts).isEmpty();
    }

    private void assertRefused(String statusPrefix, String... request) throws Exception {
        try (var raw = new RawWsClient(host.port())) {
            assertThat(raw.request(request)).startsWith(statusPrefix);
            raw.awaitEnd();
        }
    }
}
