package dev.voicebridge.testkit.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written with raw socket bytes, for what the JDK client will not send: unmasked
 * or binary frames, hand-made fragments, invalid UTF-8, bad upgrade requests.
 */
final class RawWsClient implements AutoCloseable {
    /** The sample nonce of RFC 6455 §1.3 and the accept value it must give. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? -1 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawWsClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request head as given (CRLFs added) and returns the response head, lines joined by \n. */
    String request(String... lines) throws IOException {
        out.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        var head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString().replace("\r\n", "\n").strip();
    }

    /** A valid upgrade of {@code target}; returns the response head. */
    String upgrade(String target) throws IOException {
        return request(
                "GET " + target + " HTTP/1.1",
                "Host: 127.0.0.1:" + socket.getPort(),
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + KEY,
                "Sec-WebSocket-Version: 13");
    }

    void send(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
        var frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            frame.write(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i & 3];
            }
        }
        frame.write(body);
        out.write(frame.toByteArray());
    }

    void sendText(String text) throws IOException {
        send(true, 0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A close frame with {@code code} and {@code reason}. */
    void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        send(true, 0x8, p, true);
    }

    /** The server's next frame; server frames must not be masked. */
    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** Reads frames until the server's close frame and returns it. */
    Frame readClose() throws IOException {
        while (true) {
            var f = read();
            if (f.opcode() == 0x8) {
                return f;
            }
        }
    }

    /** Returns once the server ended the TCP connection; a read timeout (5 s) throws instead. */
    void awaitEnd() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain what is left
            }
        } catch (SocketException reset) {
            // ended with a reset: ended all the same
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
