package dev.voicebridge.worker.modelsocket;

import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.CLOSE;
import static dev.voicebridge.worker.modelsocket.RawWebSocketPeer.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.worker.modelsocket.ModelSocketTest.Closed;
import dev.voicebridge.worker.modelsocket.ModelSocketTest.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What our RFC 6455 client does beyond what {@link ModelSocketTest} pins: byte sends, the
 * connection failures of section 7.1.7 (a masked server frame, invalid UTF-8), binary messages,
 * the server handshake's checks, an HTTP proxy's tunnel and a writer blocked by a peer that
 * stopped reading.
 */
class ModelSocketProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RawWebSocketPeer peer;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws IOException {
        peer = new RawWebSocketPeer();
    }

    @AfterEach
    void stop() throws IOException {
        peer.close();
    }

    private static ModelSocket socket(ProxySelector proxies) throws Exception {
        return new ModelSocket(SSLContext.getDefault(), proxies, WAIT, 1 << 20);
    }

    private ModelSocket.Channel open(RawWebSocketPeer.Connection[] accepted) throws Exception {
        var opening = socket(null).open(peer.uri(), "sk-test", recorder);
        accepted[0] = peer.accept();
        return opening.get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsBytesAsATextFrameCopiedBeforeTheCallReturns() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(accepted);
        byte[] buffer =
                "{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}xxxx".getBytes(StandardCharsets.US_ASCII);
        channel.send(buffer, buffer.length - 4);
        Arrays.fill(buffer, (byte) 'z'); // the caller reuses its array at once
        channel.send(buffer, 3);

        var first = accepted[0].read();
        assertThat(first.masked()).isTrue();
        assertThat(first.opcode()).isEqualTo(TEXT);
        assertThat(first.text()).isEqualTo("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}");
        assertThat(accepted[0].read().text()).isEqualTo("zzz");
    }

    @Test
    @Timeout(60)
    void nothingFollowsOurCloseFrameWhateverTheSendersRacingIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            var accepted = new RawWebSocketPeer.Connection[1];
            var channel = open(accepted);
            var conn = accepted[0];
            var senders = new java.util.ArrayList<Thread>();
            for (int t = 0; t < 4; t++) {
                senders.add(Thread.ofVirtual().start(() -> {
                    while (channel.isOpen()) {
                        channel.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}");
                    }
                }));
            }
            Thread.sleep(5);
            channel.close("call over");
            RawWebSocketPeer.Frame frame;
            int texts = 0;
            do {
                frame = conn.read();
                texts++;
            } while (frame.opcode() == TEXT);
            assertThat(frame.opcode())
                    .as("round %d, after %d texts", round, texts)
                    .isEqualTo(CLOSE);
            conn.sendClose(1000, "");
            // The client closes the connection once the close handshake is done: no frame after ours.
            assertThatThrownBy(conn::read).isInstanceOf(IOException.class);
            for (var s : senders) {
                s.join(WAIT);
            }
            conn.close();
        }
        assertThat(recorder.closes).isEmpty();
    }

    @Test
    void aCloseWithACodeThatMayNotBeSentIsAnsweredWith1000AndReportedAsItCame() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        open(accepted);
        accepted[0].sendClose(1006, "not for the wire"); // section 7.4.1: never sent in a close frame
        var answer = accepted[0].read();
        assertThat(answer.opcode()).isEqualTo(CLOSE);
        assertThat(answer.closeCode()).isEqualTo(1000);
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.closes).containsExactly(new Closed(1006, "not for the wire"));
        assertThat(WsChannel.sendable(4000)).isTrue();
        assertThat(WsChannel.sendable(1005)).isFalse();
        assertThat(WsChannel.sendable(1015)).isFalse();
        assertThat(WsChannel.sendable(999)).isFalse();
    }

    @Test
    void aMaskedServerFrameFailsTheConnectionWith1002() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(accepted);
        byte[] payload = "{}".getBytes(StandardCharsets.US_ASCII);
        // FIN + text, mask bit set, a zero key: servers never mask (section 5.1)
        accepted[0].write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0, payload[0], payload[1]});

        var close = accepted[0].read();
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).isEqualTo(1002);
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.closes).extracting(Closed::code).containsExactly(1002);
        assertThat(recorder.texts).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void invalidUtf8FailsTheConnectionWith1007AndValidUtf8IsDecoded() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        open(accepted);
        accepted[0].sendText("{\"transcript\":\"ça va\"}");
        accepted[0].send(true, TEXT, new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'}); // a broken two-byte sequence

        var close = accepted[0].read();
        assertThat(close.closeCode()).as("section 8.1").isEqualTo(1007);
        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        assertThat(recorder.texts).containsExactly("{\"transcript\":\"ça va\"}");
        assertThat(recorder.closes).extracting(Closed::code).containsExactly(1007);
    }

    @Test
    void aLargeMessageThenSmallOnesArriveWhole() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        open(accepted);
        String big = "{\"delta\":\"" + "B".repeat(600_000) + "\"}";
        accepted[0].sendText(big);
        accepted[0].sendText("{\"n\":1}");
        accepted[0].sendText(big);
        await().atMost(WAIT).until(() -> recorder.texts.size() == 3);
        assertThat(recorder.texts).containsExactly(big, "{\"n\":1}", big);
    }

    @Test
    void aBinaryMessageIsSkippedAndTheNextTextArrives() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = open(accepted);
        accepted[0].send(false, 0x2, new byte[70_000]);
        accepted[0].send(true, 0x0, new byte[10]);
        accepted[0].sendText("{\"type\":\"after\"}");

        await().atMost(WAIT).until(() -> recorder.texts.size() == 1);
        assertThat(recorder.texts).containsExactly("{\"type\":\"after\"}");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anUpgradeAnsweredWithAWrongAcceptFailsTheOpen() throws Exception {
        try (var server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            var opening = socket(null)
                    .open(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/v1/realtime"), "sk", recorder);
            try (var s = server.accept()) {
                RawWebSocketPeer.readHead(s.getInputStream());
                s.getOutputStream()
                        .write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                        + "Sec-WebSocket-Accept: " + WsHandshake.accept("not the client's key")
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("Sec-WebSocket-Accept");
            }
        }
    }

    @Test
    void aKeyThatWouldBreakTheUpgradeRequestIsRefusedBeforeConnecting() throws Exception {
        for (String key : new String[] {"sk-1\r\nX-Injected: 1", "sk-2\n", "", "sk-\u00e9"}) {
            var opening = socket(null).open(peer.uri(), key, recorder);
            assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("API key");
        }
    }

    @Test
    void goesThroughAnHttpProxysTunnelWhenTheSelectorNamesOne() throws Exception {
        try (var proxy = new TunnelProxy()) {
            var asked = new CopyOnWriteArrayList<URI>();
            var selector = new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    asked.add(uri);
                    return List.of(
                            new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("127.0.0.1", proxy.port())));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
            };
            var opening = socket(selector).open(peer.uri(), "sk-proxied", recorder);
            var conn = peer.accept();
            var channel = opening.get(10, TimeUnit.SECONDS);
            assertThat(asked)
                    .containsExactly(URI.create("http://127.0.0.1:" + peer.uri().getPort()));
            assertThat(proxy.requests)
                    .containsExactly("CONNECT 127.0.0.1:" + peer.uri().getPort() + " HTTP/1.1");
            assertThat(conn.headers()).containsEntry("authorization", "Bearer sk-proxied");

            channel.send("{\"type\":\"through\"}");
            assertThat(conn.read().text()).isEqualTo("{\"type\":\"through\"}");
            conn.sendText("{\"type\":\"back\"}");
            await().atMost(WAIT).until(() -> recorder.texts.size() == 1);
        }
    }

    @Test
    void aProxyThatRefusesTheTunnelFailsTheOpenWithItsStatus() throws Exception {
        try (var server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            var selector = ProxySelector.of(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
            var opening = socket(selector).open(peer.uri(), "sk", recorder);
            try (var s = server.accept()) {
                RawWebSocketPeer.readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                        .cause()
                        .hasMessageContaining("proxy refused")
                        .hasMessageContaining("403");
            }
        }
    }

    @Test
    void aWriteBlockedByAPeerThatStoppedReadingIsGivenUpByTheWatchdog() throws Exception {
        var accepted = new RawWebSocketPeer.Connection[1];
        var channel = (WsChannel) open(accepted);
        // One sender, as a call's owner is: it writes inline and blocks once the TCP buffers are full.
        String chunk = "A".repeat(256 * 1024);
        var sent = new AtomicInteger();
        var sender = Thread.ofVirtual().start(() -> {
            while (recorder.closes.isEmpty() && sent.get() < 4000) {
                channel.send(chunk);
                sent.incrementAndGet();
            }
        });
        // Blocked: no send returned for a while.
        await().atMost(WAIT).until(() -> {
            int before = sent.get();
            Thread.sleep(300);
            return sent.get() == before && sender.isAlive();
        });
        assertThat(recorder.closes).isEmpty();
        WsChannel.checkStalls(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WsChannel.STALL_MILLIS + 1000));

        await().atMost(WAIT).until(() -> !recorder.closes.isEmpty());
        sender.join(WAIT);
        assertThat(sender.isAlive()).as("the blocked write returned").isFalse();
        assertThat(recorder.closes).extracting(Closed::code).containsExactly(1006);
        assertThat(recorder.closes.get(0).reason()).contains("stopped reading");
        assertThat(channel.isOpen()).isFalse();
    }

    /** An HTTP proxy that serves CONNECT only, piping bytes both ways (RFC 9110 section 9.3.6). */
    static final class TunnelProxy implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();

        TunnelProxy() throws IOException {
            Thread.ofVirtual().start(() -> {
                try (var client = server.accept()) {
                    String head = RawWebSocketPeer.readHead(client.getInputStream());
                    String line = head.substring(0, head.indexOf("\r\n"));
                    requests.add(line);
                    String[] hostPort = line.split(" ")[1].split(":");
                    try (var upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                        client.getOutputStream()
                                .write("HTTP/1.1 200 Connection established\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                        var back = Thread.ofVirtual().start(() -> pipe(upstream, client));
                        pipe(client, upstream);
                        back.join();
                    }
                } catch (IOException | InterruptedException e) {
                    // the test ended
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pipe(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
