package dev.voicebridge.worker.modelsocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket server on loopback that speaks RFC 6455 frame by frame, so a test can send what a
 * library-made server never would (fragments with a ping between them, a close without a
 * handshake, nothing at all) and see every frame the client sends, mask bit included.
 */
public final class RawWebSocketPeer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 section 1.3

    /** One frame as received, payload unmasked. */
    public record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code (section 5.5.1). */
        public int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        public String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final ServerSocket listener;

    private final boolean tls;

    public RawWebSocketPeer() throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.tls = false;
    }

    /** A peer behind TLS ({@code wss}) with {@code context}'s key and certificate. */
    public RawWebSocketPeer(SSLContext context) throws IOException {
        this.listener = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.tls = true;
    }

    public URI uri() {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + listener.getLocalPort() + "/v1/realtime");
    }

    /** Waits for the next client and completes its upgrade (section 4.2.2). */
    public Connection accept() throws IOException {
        var c = new Connection(listener.accept());
        c.upgrade();
        return c;
    }

    /** Waits for the next client and refuses its upgrade with {@code status}. */
    public Map<String, String> refuse(int status) throws IOException {
        try (var c = new Connection(listener.accept())) {
            var headers = c.readRequest();
            c.out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            return headers;
        }
    }

    /** An HTTP request's head, up to and with its empty line, read byte by byte (nothing after it). */
    public static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the request");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** A server frame: unmasked (section 5.1), the payload length in 7, 16 or 64 bits (section 5.2). */
    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        var frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length < 65536) {
            frame.write(126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    public static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private Map<String, String> headers;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true); // each frame goes out when written, as a server's would
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The upgrade request's headers, names in lower case. */
        public Map<String, String> headers() {
            return headers;
        }

        Map<String, String> readRequest() throws IOException {
            var map = new LinkedHashMap<String, String>();
            readHead(in)
                    .lines()
                    .skip(1)
                    .filter(l -> l.indexOf(':') > 0)
                    .forEach(l -> map.put(
                            l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT),
                            l.substring(l.indexOf(':') + 1).trim()));
            headers = map;
            return map;
        }

        void upgrade() throws IOException {
            var h = readRequest();
            String accept;
            try {
                accept = Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1")
                                .digest((h.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends an unmasked frame (servers never mask, section 5.1). */
        public void send(boolean fin, int opcode, byte[] payload) throws IOException {
            write(frame(fin, opcode, payload));
        }

        /** Writes a frame made by {@link #frame} (made once, sent many times). */
        public synchronized void write(byte[] frame) throws IOException {
            out.write(frame);
            out.flush();
        }

        public void sendText(String text) throws IOException {
            send(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        public void sendClose(int code, String reason) throws IOException {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            var payload = ByteBuffer.allocate(2 + r.length)
                    .putShort((short) code)
                    .put(r)
                    .array();
            send(true, CLOSE, payload);
        }

        /** Reads the next frame; fails on end of stream. */
        public Frame read() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            boolean masked = (b1 & 0x80) != 0;
            byte[] mask = new byte[4];
            if (masked) {
                in.readFully(mask);
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            return new Frame((b0 & 0x80) != 0, b0 & 0x0f, masked, payload);
        }

        public InputStream rawInput() {
            return in;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
