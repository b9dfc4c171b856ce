package dev.voicebridge.worker.modelsocket;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Opens a model socket: TCP (through an HTTP proxy's {@code CONNECT} tunnel when the JVM's {@link
 * ProxySelector} names one), TLS for {@code wss} with the host name checked against the
 * certificate (RFC 2818 section 3.1, as HTTPS does), then the opening handshake of RFC 6455
 * section 4.1 with the key in {@code Authorization: Bearer}. The whole of it is bounded by one
 * timeout. Blocking: runs on a virtual thread of {@link ModelSocket#open}.
 */
final class WsHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 section 1.3
    /** Longest response head accepted: status line and headers. */
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private static final SecureRandom KEYS = new SecureRandom();

    private WsHandshake() {}

    static WsChannel open(
            URI uri,
            String apiKey,
            ModelSocket.Listener listener,
            SSLContext tls,
            ProxySelector proxies,
            Duration timeout,
            int maxMessageBytes)
            throws IOException {
        if (!headerSafe(apiKey)) {
            // A line break would end the header and let the rest of the value write request lines.
            throw new IOException("the API key has characters an HTTP header cannot carry");
        }
        boolean secure =
                switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
                    case "wss" -> true;
                    case "ws" -> false;
                    default -> throw new IOException("not a WebSocket URI: " + uri.getScheme());
                };
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true); // each event goes out when written, not after the peer's ACK
            Proxy proxy = proxy(proxies, secure, host, port);
            var target = proxy == null ? new InetSocketAddress(host, port) : (InetSocketAddress) proxy.address();
            if (target.isUnresolved()) {
                target = new InetSocketAddress(target.getHostString(), target.getPort());
            }
            tcp.connect(target, remainingMillis(deadline, timeout));
            if (proxy != null) {
                tunnel(tcp, host, port, deadline, timeout);
            }
            Socket socket = tcp;
            if (secure) {
                var ssl = (SSLSocket) tls.getSocketFactory().createSocket(tcp, host, port, true);
                var params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(remainingMillis(deadline, timeout));
                ssl.startHandshake();
                socket = ssl;
            }
            var in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            upgrade(socket.getOutputStream(), in, uri, host, port, secure, apiKey, deadline, timeout, socket);
            socket.setSoTimeout(0);
            return new WsChannel(socket, tcp, in, listener, maxMessageBytes);
        } catch (SocketTimeoutException e) {
            tcp.close();
            var timedOut =
                    new HttpTimeoutException("WebSocket handshake not done within " + timeout.toMillis() + " ms");
            timedOut.initCause(e);
            throw timedOut;
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    private static Proxy proxy(ProxySelector proxies, boolean secure, String host, int port) {
        if (proxies == null) {
            return null;
        }
        // As the JDK's HTTP client asks: by the scheme HTTP would use for this connection.
        for (Proxy p : proxies.select(URI.create((secure ? "https" : "http") + "://" + host + ":" + port))) {
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress) {
                return p;
            }
        }
        return null;
    }

    /** An HTTP proxy's tunnel to the model service (RFC 9110 section 9.3.6). */
    private static void tunnel(Socket tcp, String host, int port, long deadline, Duration timeout) throws IOException {
        String authority = authority(host, port);
        tcp.getOutputStream()
                .write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        tcp.getOutputStream().flush();
        tcp.setSoTimeout(remainingMillis(deadline, timeout));
        // Read byte by byte: what follows the proxy's answer belongs to TLS or the upgrade.
        var head = head(tcp.getInputStream());
        if (head.status() / 100 != 2) {
            throw new IOException("the proxy refused the tunnel to " + authority + ": HTTP " + head.status());
        }
    }

    private static void upgrade(
            OutputStream out,
            InputStream in,
            URI uri,
            String host,
            int port,
            boolean secure,
            String apiKey,
            long deadline,
            Duration timeout,
            Socket socket)
            throws IOException {
        byte[] nonce = new byte[16];
        KEYS.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean defaultPort = port == (secure ? 443 : 80);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + (defaultPort ? hostForHeader(host) : authority(host, port)) + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + apiKey + "\r\n"
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        socket.setSoTimeout(remainingMillis(deadline, timeout));
        var head = head(in);
        if (head.status() != 101) {
            throw new IOException("WebSocket upgrade refused: HTTP " + head.status());
        }
        // Section 4.1, the client's checks of the server's handshake.
        if (!"websocket".equalsIgnoreCase(head.header("upgrade"))) {
            throw new IOException("WebSocket upgrade answered without Upgrade: websocket");
        }
        String connection = head.header("connection");
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new IOException("WebSocket upgrade answered without Connection: Upgrade");
        }
        if (!accept(key).equals(head.header("sec-websocket-accept"))) {
            throw new IOException("WebSocket upgrade answered with a wrong Sec-WebSocket-Accept");
        }
        if (head.header("sec-websocket-extensions") != null || head.header("sec-websocket-protocol") != null) {
            throw new IOException("WebSocket upgrade answered with an extension or subprotocol not asked for");
        }
    }

    /** Visible ASCII and spaces only (RFC 9110 section 5.5 field values, without obs-text). */
    static boolean headerSafe(String value) {
        return value != null && !value.isEmpty() && value.chars().allMatch(c -> c == ' ' || (c > 0x20 && c < 0x7f));
    }

    static String accept(String key) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP response's status and headers (names in lower case); the body, if any, is not read. */
    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** Reads a response head up to its empty line, byte by byte, so nothing after it is consumed. */
    static Head head(InputStream in) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream(256);
        int last4 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed during the handshake");
            }
            bytes.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                break;
            }
            if (bytes.size() > MAX_HEAD_BYTES) {
                throw new IOException("handshake response over " + MAX_HEAD_BYTES + " bytes");
            }
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 response: " + lines[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + status[1]);
        }
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return new Head(code, headers);
    }

    private static String hostForHeader(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String authority(String host, int port) {
        return hostForHeader(host) + ":" + port;
    }

    private static int remainingMillis(long deadline, Duration timeout) throws HttpTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new HttpTimeoutException("WebSocket handshake not done within " + timeout.toMillis() + " ms");
        }
        return (int) left;
    }
}
