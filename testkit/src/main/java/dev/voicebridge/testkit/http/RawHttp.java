package dev.voicebridge.testkit.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client that writes exactly the bytes it is given: no path normalisation, no header
 * validation, no computed Content-Length. What the JDK client refuses to send (dot segments,
 * {@code ;} in the first segment, a body shorter than its Content-Length, a header of 64 KiB) is
 * what an attacker sends, so the tests of the service's doors use this.
 */
public final class RawHttp {
    private final InetSocketAddress target;

    public RawHttp(InetSocketAddress target) {
        this.target = target;
    }

    /** A parsed reply; {@code status} is -1 when the server closed without answering. */
    public record Reply(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            var values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public boolean answered() {
            return status > 0;
        }

        @Override
        public String toString() {
            return status + " " + header("content-type") + " " + body;
        }
    }

    /** One request on its own connection: {@code head} is the request line and headers without the blank line. */
    public Reply send(String head, byte[] body) {
        byte[] headBytes = (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return exchange(request, false, Duration.ofSeconds(15));
    }

    /** A request with a path, method, headers and a body whose Content-Length is the true length. */
    public Reply request(String method, String path, Map<String, String> headers, byte[] body) {
        var head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(target.getPort()).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close");
        return send(head.toString(), body);
    }

    /**
     * Writes {@code request} and reads one reply. With {@code halfClose} the client shuts its
     * output after writing (a body that ends early for good), which a server sees as EOF.
     */
    public Reply exchange(byte[] request, boolean halfClose, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // A server may answer before the request is all sent (a body above its bound) and
                // close, so the rest of the write fails: read the answer it sent, as curl does.
            }
            // Buffered: the reply is parsed a byte at a time, which unbuffered is a read call each.
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no reply within " + timeout, e);
        } catch (IOException e) {
            // A reset before any reply: the server dropped the connection.
            return new Reply(-1, Map.of(), e.toString());
        }
    }

    /**
     * Writes {@code request}, waits up to {@code patience} for a reply and then resets the
     * connection (RST, SO_LINGER 0) whether or not one came: a client that gives up.
     */
    public void abort(byte[] request, Duration patience) {
        try (Socket socket = new Socket()) {
            socket.connect(target, 5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.setSoTimeout((int) Math.max(1, patience.toMillis()));
            try {
                socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                // gave up waiting, as intended
            }
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // the server may have closed first; either way the exchange is over
        }
    }

    static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || statusLine.isEmpty()) {
            return new Reply(-1, Map.of(), "");
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        byte[] body;
        var length = headers.get("content-length");
        var encoding = headers.get("transfer-encoding");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.getFirst()));
        } else if (encoding != null && encoding.getFirst().equalsIgnoreCase("chunked")) {
            var out = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    line(in);
                    break;
                }
                out.write(in.readNBytes(n));
                line(in);
            }
            body = out.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                out.write(b);
            }
        }
        if (b == -1 && out.size() == 0) {
            return null;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
