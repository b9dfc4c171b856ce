package dev.voicebridge.testkit.ws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
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
 * offered. Each connection reads on its own virtual thread with blocking I/O; frames are unmasked
 * eight bytes at a time and server frames go out with one write each. We run our own instead of a
 * Jakarta WebSocket container because the capacity benchmark counts this server's CPU against
 * the media worker's cores: Tyrus on Grizzly unmasked byte by byte and re-encoded every outgoing
 * text through a CharBuffer, costing about a quarter of a core at 200 calls.
 */
public final class FakeWebSocketHost implements AutoCloseable {
    /** Largest text message accepted (the JDK client's audio appends are a few KB; 1009 beyond it). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

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
            switch (Handshake.read(in, path)) {
                case Handshake.Refused r -> out.write(r.response());
                case Handshake.Accepted a -> {
                    WsListener listener;
                    try {
                        listener = listeners.apply(a.upgrade());
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
}
