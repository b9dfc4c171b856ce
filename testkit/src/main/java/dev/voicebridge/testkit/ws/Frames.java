package dev.voicebridge.testkit.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Byte work on RFC 6455 §5 frames, eight bytes at a time where it counts: unmasking client
 * payloads, the UTF-8 check of text, server frame headers.
 */
final class Frames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** Largest payload of a control frame (§5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Frames() {}

    /**
     * XORs {@code len} bytes at {@code off} with the masking key (§5.3), {@code key} holding the
     * key's four bytes in the order they arrived (first byte highest).
     */
    static void unmask(byte[] b, int off, int len, int key) {
        // Little-endian view: the byte at the lowest address is the long's lowest byte, so the key's
        // first byte goes lowest, twice over for the eight bytes.
        long k = Integer.reverseBytes(key) & 0xFFFFFFFFL;
        long mask = k | k << 32;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(b, off + i, (long) LONGS.get(b, off + i) ^ mask);
        }
        for (; i < len; i++) {
            b[off + i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
    }

    /** Whether every byte is below 0x80: such text needs no UTF-8 decoding. */
    static boolean ascii(byte[] b, int off, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if (((long) LONGS.get(b, off + i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (b[off + i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The text in {@code b}, or null when it is not valid UTF-8 (§8.1: the connection fails with 1007). */
    static String text(byte[] b, int off, int len) {
        if (ascii(b, off, len)) {
            // ASCII is ISO-8859-1 too, which the JDK copies into a compact string without decoding
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Size of an unmasked server frame's header for a payload of {@code len} bytes. */
    static int headerSize(int len) {
        return len <= 125 ? 2 : len <= 0xFFFF ? 4 : 10;
    }

    /** Writes a final, unmasked frame header at the start of {@code out}; returns its size. */
    static int header(byte[] out, int opcode, int len) {
        out[0] = (byte) (0x80 | opcode);
        if (len <= 125) {
            out[1] = (byte) len;
            return 2;
        }
        if (len <= 0xFFFF) {
            out[1] = 126;
            out[2] = (byte) (len >>> 8);
            out[3] = (byte) len;
            return 4;
        }
        out[1] = 127;
        long l = len;
        for (int i = 0; i < 8; i++) {
            out[2 + i] = (byte) (l >>> (56 - 8 * i));
        }
        return 10;
    }
}
