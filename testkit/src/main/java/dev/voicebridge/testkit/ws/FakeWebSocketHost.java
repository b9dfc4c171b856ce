package dev.voicebridge.testkit.ws;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * A real WebSocket server (RFC 6455, {@code ws://} on 127.0.0.1, an ephemeral port) for the fake
 * model services, serving one path. Each upgrade's headers and query parameters are handed to a
 * factory that decides what {@link WsListener} serves the connection, so every fake sees the
 * request exactly as the real service would.
 *
 * <p>It implements what a server needs against real clients and no more: the HTTP/1.1 upgrade
 * (404 for another path, 426 for no upgrade or another version, 400 for a malformed request),
 * masked client frames of any length, text messages (fragments joined, UTF-8 checked), ping/pong
 * and the closing handshake; binary messages, extensions and subprotocols are refused or not
 * offered. Beside its WebSocket path it can serve plain HTTP requests under one path prefix
 * ({@link #serveHttp}): one request per connection, a {@code Content-Length} body of at most
 * {@link #MAX_HTTP_BODY_BYTES} (413 beyond, 411 for a chunked one), a {@link PlainHttp.Handler}'s
 * reply, then the connection closes. A listener factory may refuse an upgrade with a plain
 * response by throwing {@link PlainHttp.RefusedUpgrade}. Each connection reads on its own virtual
 * thread with blocking I/O; frames are unmasked eight bytes at a time and server frames go out
 * with one write each. We run our own instead of a Jakarta WebSocket container because the
 * capacity benchmark counts this server's CPU against the media worker's cores: Tyrus on Grizzly
 * unmasked byte by byte and re-encoded every outgoing text through a CharBuffer, costing about a
 * quarter of a core at 200 calls.
 */
public final class FakeWebSocketHost implements AutoCloseable {
    /** Largest text message accepted (the JDK client's audio appends are a few KB; 1009 beyond it). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Largest body of a plain HTTP request (413 beyond it). */
    public static final int MAX_HTTP_BODY_BYTES = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(FakeWebSocketHost.class.getName());
    private static final int BACKLOG = 512;
    /** A client that connects must send its upgrade request within this time. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** What the client sent with its upgrade request. Header names match case-insensitively. */
    public record Upgrade(Map<String, List<String>> headers, Map<String, List<String>> parameters) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String parameter(String name) {
            var values = parameters.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** True when {@code Authorization} is exactly {@code Bearer <token>}. */
        public boolean bearer(String token) {
            return ("Bearer " + token).equals(header("Authorization"));
        }
    }

    private final String path;
    private final int maxMessageBytes;
    private final Function<Upgrade, ? extends WsListener> listeners;
    private final ServerSocket server;
    private final Set<WsSocket> connections = ConcurrentHashMap.newKeySet();
    private final ThreadFactory threads;
    private volatile HttpRoute http;

    private record HttpRoute(String prefix, PlainHttp.Handler handler) {}

    private FakeWebSocketHost(String path, int maxMessageBytes, Function<Upgrade, ? extends WsListener> listeners)
            throws IOException {
        this.path = path;
        this.maxMessageBytes = maxMessageBytes;
        this.listeners = listeners;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        this.threads = Thread.ofVirtual()
                .name("fake-ws-" + server.getLocalPort() + "-", 0)
                .factory();
        Thread.ofVirtual().name("fake-ws-" + server.getLocalPort() + "-accept").start(this::accept);
    }

    /** Starts serving {@code path}; {@code listeners} makes one listener per upgrade. */
    public static FakeWebSocketHost start(String path, Function<Upgrade, ? extends WsListener> listeners) {
        return start(path, DEFAULT_MAX_MESSAGE_BYTES, listeners);
    }

    /** As {@link #start(String, Function)}, closing with 1009 on a text message over {@code maxMessageBytes}. */
    public static FakeWebSocketHost start(
            String path, int maxMessageBytes, Function<Upgrade, ? extends WsListener> listeners) {
        try {
            return new FakeWebSocketHost(path, maxMessageBytes, listeners);
        } catch (IOException e) {
            throw new UncheckedIOException("fake WebSocket server for " + path + " did not start", e);
        }
    }

    /**
     * Hands plain HTTP requests (no WebSocket upgrade) for {@code pathPrefix} and the paths below
     * it to {@code handler}; WebSocket upgrades there still get the handshake's answers.
     */
    public FakeWebSocketHost serveHttp(String pathPrefix, PlainHttp.Handler handler) {
        if (pathPrefix.equals(path) || !pathPrefix.startsWith("/") || pathPrefix.endsWith("/")) {
            throw new IllegalArgumentException("an HTTP prefix like /v1/things, not the WebSocket path: " + pathPrefix);
        }
        this.http = new HttpRoute(pathPrefix, handler);
        return this;
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops accepting and drops every open connection at once (the client sees 1006, as on a crash). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.forEach(WsSocket::abort);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.newThread(() -> serve(s)).start();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return; // close()
                }
                LOG.log(System.Logger.Level.WARNING, "fake WebSocket server: accept failed: " + e);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            var in = new WsInput(socket.getInputStream());
            var out = socket.getOutputStream();
            HttpRoute route = http;
            switch (Handshake.read(in, path, route == null ? null : route.prefix())) {
                case Handshake.Refused r -> out.write(r.response());
                case Handshake.Plain p -> servePlain(socket, in, out, p, route.handler());
                case Handshake.Accepted a -> {
                    WsListener listener;
                    try {
                        listener = listeners.apply(a.upgrade());
                    } catch (PlainHttp.RefusedUpgrade e) {
                        out.write(e.reply().bytes());
                        return;
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "fake WebSocket server: the listener factory failed", e);
                        out.write(new Handshake.Refused(500, "the fake server failed", "").response());
                        return;
                    }
                    out.write(a.response());
                    socket.setSoTimeout(0);
                    var connection = new WsSocket(socket, in, out, listener, maxMessageBytes);
                    connections.add(connection);
                    if (server.isClosed()) {
                        connection.abort(); // close() ran meanwhile: the listener still opens and closes
                    }
                    try {
                        connection.run();
                    } finally {
                        connections.remove(connection);
                    }
                }
            }
        } catch (IOException e) {
            // the client left during the handshake or the socket was dropped
        }
    }

    /** One plain request: its body, the handler's reply, then the client's end of the connection. */
    private static void servePlain(
            Socket socket, WsInput in, OutputStream out, Handshake.Plain p, PlainHttp.Handler handler)
            throws IOException {
        var head = new PlainHttp.Request(p.method(), p.path(), p.parameters(), p.headers(), new byte[0]);
        PlainHttp.Reply reply;
        String length = head.header("Content-Length");
        if (head.header("Transfer-Encoding") != null) {
            reply = PlainHttp.Reply.text(411, "text/plain; charset=utf-8", "send the body with a Content-Length\n");
        } else if (length != null
                && (p.headers().get("Content-Length").size() != 1 || !length.matches("[0-9]{1,10}"))) {
            reply = PlainHttp.Reply.text(400, "text/plain; charset=utf-8", "malformed Content-Length\n");
        } else if (length != null && Long.parseLong(length) > MAX_HTTP_BODY_BYTES) {
            reply = PlainHttp.Reply.text(
                    413, "text/plain; charset=utf-8", "a body of at most " + MAX_HTTP_BODY_BYTES + " bytes\n");
        } else {
            int n = length == null ? 0 : Integer.parseInt(length);
            if ("100-continue".equalsIgnoreCase(head.header("Expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] body = new byte[n];
            in.readFully(body, 0, n);
            try {
                reply = handler.handle(new PlainHttp.Request(p.method(), p.path(), p.parameters(), p.headers(), body));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "fake HTTP handler failed", e);
                reply = PlainHttp.Reply.text(500, "text/plain; charset=utf-8", "the fake server failed\n");
            }
        }
        out.write(reply.bytes());
        out.flush();
        // Connection: close. Ending our side first and reading the client's to its end keeps an
        // unread body (a refused one) from turning our close into a reset that loses the reply.
        socket.shutdownOutput();
        socket.setSoTimeout(2_000);
        try {
            in.skip(1 << 20);
        } catch (IOException e) {
            // EOF, reset or the timeout: done either way
        }
    }
}
