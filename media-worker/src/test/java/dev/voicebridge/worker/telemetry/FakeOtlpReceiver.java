package dev.voicebridge.worker.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of an OTLP/gRPC collector on loopback to see what an exporter sends: cleartext
 * HTTP/2 with prior knowledge (RFC 9113 §3.3), one connection at a time; every gRPC request body is
 * kept as raw bytes (the protobuf, whose strings are readable) and answered with an empty message
 * and {@code grpc-status: 0}. Header blocks are not decoded: the responses use only HPACK literals
 * (RFC 7541 §6.2.2) and the static table's {@code :status 200}.
 */
final class FakeOtlpReceiver implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0, HEADERS = 0x1, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7;
    private static final int END_STREAM = 0x1, END_HEADERS = 0x4, ACK = 0x1;

    private final ServerSocket server;
    private final Thread acceptor;
    final List<byte[]> requests = new CopyOnWriteArrayList<>();

    FakeOtlpReceiver() throws IOException {
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("fake-otlp").start(this::serve);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Every request body received so far, as text (protobuf strings show up verbatim). */
    String received() {
        var all = new StringBuilder();
        requests.forEach(r -> all.append(new String(r, StandardCharsets.ISO_8859_1)));
        return all.toString();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connection(new DataInputStream(socket.getInputStream()), socket.getOutputStream());
            } catch (IOException closed) {
                // the client went away, or we are closing
            }
        }
    }

    private void connection(DataInputStream in, OutputStream out) throws IOException {
        byte[] preface = new byte[PREFACE.length];
        in.readFully(preface);
        if (!java.util.Arrays.equals(preface, PREFACE)) {
            throw new IOException("not HTTP/2 prior knowledge");
        }
        frame(out, SETTINGS, 0, 0, new byte[0]);
        var bodies = new java.util.HashMap<Integer, ByteArrayOutputStream>();
        while (true) {
            int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            switch (type) {
                case SETTINGS -> {
                    if ((flags & ACK) == 0) {
                        frame(out, SETTINGS, ACK, 0, new byte[0]);
                    }
                }
                case PING -> frame(out, PING, ACK, 0, payload);
                case HEADERS -> bodies.put(stream, new ByteArrayOutputStream());
                case DATA -> {
                    bodies.computeIfAbsent(stream, s -> new ByteArrayOutputStream())
                            .write(payload);
                    if ((flags & END_STREAM) != 0) {
                        requests.add(bodies.remove(stream).toByteArray());
                        respond(out, stream);
                    }
                }
                case GOAWAY -> {
                    return;
                }
                default -> {
                    // WINDOW_UPDATE, PRIORITY, RST_STREAM: nothing to do for one small request
                }
            }
        }
    }

    private static void respond(OutputStream out, int stream) throws IOException {
        var headers = new ByteArrayOutputStream();
        headers.write(0x88); // indexed: :status 200
        literal(headers, "content-type", "application/grpc");
        frame(out, HEADERS, END_HEADERS, stream, headers.toByteArray());
        // An empty ExportTraceServiceResponse: not compressed, length 0.
        frame(out, DATA, 0, stream, new byte[5]);
        var trailers = new ByteArrayOutputStream();
        literal(trailers, "grpc-status", "0");
        frame(out, HEADERS, END_HEADERS | END_STREAM, stream, trailers.toByteArray());
    }

    /** Literal header field without indexing, new name, no Huffman (RFC 7541 §6.2.2). */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        for (String s : new String[] {name, value}) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            block.write(bytes.length); // < 127: one byte
            block.writeBytes(bytes);
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {
            (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8),
            (byte) payload.length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        };
        synchronized (out) {
            out.write(header);
            out.write(payload);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
