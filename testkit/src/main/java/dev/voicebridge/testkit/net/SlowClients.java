package dev.voicebridge.testkit.net;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP clients that connect and never finish their request (slowloris): the attack that stalls a
 * server with a fixed number of workers and no read timeout. Each service's test holds a set of
 * these open and checks that its health endpoint still answers promptly.
 */
public final class SlowClients implements AutoCloseable {
    /** How a slow client misbehaves. */
    public enum Mode {
        /** Connects and sends nothing. */
        SILENT,
        /** Sends a request line and one header, never the blank line that ends the headers. */
        PARTIAL_HEADERS,
        /** Sends complete headers announcing a 1,000-byte body, then 10 bytes of it. */
        PARTIAL_BODY
    }

    private final List<Socket> sockets;

    private SlowClients(List<Socket> sockets) {
        this.sockets = sockets;
    }

    /** Opens {@code count} connections to {@code target}, each misbehaving as {@code mode}. */
    public static SlowClients hold(InetSocketAddress target, int count, Mode mode, String path) {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                open.add(socket);
                socket.connect(target, 2_000);
                OutputStream out = socket.getOutputStream();
                String host = "Host: " + target.getHostString() + ":" + target.getPort() + "\r\n";
                switch (mode) {
                    case SILENT -> {}
                    case PARTIAL_HEADERS ->
                        out.write(("GET " + path + " HTTP/1.1\r\n" + host).getBytes(StandardCharsets.US_ASCII));
                    case PARTIAL_BODY ->
                        out.write(("POST " + path + " HTTP/1.1\r\n" + host
                                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
                                .getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            }
            return new SlowClients(open);
        } catch (IOException e) {
            new SlowClients(open).close();
            throw new UncheckedIOException("could not open slow client to " + target, e);
        }
    }

    /**
     * Connections the server has given up on so far: closed, or answered (e.g. 408) — what a
     * server with read timeouts does to every one of them.
     */
    public long endedByServer() {
        long closed = 0;
        for (Socket socket : sockets) {
            try {
                socket.setSoTimeout(1);
                socket.getInputStream().read(); // EOF or a response: either way the server reacted
                closed++;
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                closed++;
            }
        }
        return closed;
    }

    /**
     * Gives up on every connection with a reset (SO_LINGER 0), as a client that crashes or times
     * out does: the server meets a connection that vanished in the middle of its request.
     */
    public void reset() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // already closed: closing below is all there is to do
            }
        }
        close();
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
