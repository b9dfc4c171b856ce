package dev.voicebridge.testkit.ws;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * A connection's input, buffered once for both the HTTP request head and the frames after it (so
 * bytes a client sends right behind its upgrade request are not lost). Not thread-safe: the
 * connection's reader thread owns it.
 */
final class WsInput {
    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    WsInput(InputStream in) {
        this.in = in;
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by the client");
        }
        pos = 0;
        limit = n;
    }

    int readByte() throws IOException {
        if (pos == limit) {
            fill();
        }
        return buf[pos++] & 0xFF;
    }

    int readInt() throws IOException {
        return readByte() << 24 | readByte() << 16 | readByte() << 8 | readByte();
    }

    long readLong() throws IOException {
        return (long) readInt() << 32 | (readInt() & 0xFFFFFFFFL);
    }

    void readFully(byte[] dst, int off, int len) throws IOException {
        int buffered = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, dst, off, buffered);
        pos += buffered;
        int done = buffered;
        // the rest straight from the socket into dst: no second copy of large payloads
        while (done < len) {
            int n = in.read(dst, off + done, len - done);
            if (n < 0) {
                throw new EOFException("connection closed by the client");
            }
            done += n;
        }
    }

    void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
    }

    /**
     * One line of the request head (ISO-8859-1, RFC 9112 §2.2) without its CRLF (a bare LF ends it
     * too); {@code budget} is what is left of the head's size limit and shrinks by what was read.
     */
    String readLine(int[] budget) throws IOException {
        var line = new StringBuilder(64);
        while (true) {
            if (--budget[0] < 0) {
                throw new ProtocolException("request head too large");
            }
            int b = readByte();
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }
}
