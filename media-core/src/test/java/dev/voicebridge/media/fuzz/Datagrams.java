package dev.voicebridge.media.fuzz;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators shared by the parsers' fuzz properties: datagrams of any bytes, and a datagram placed
 * inside a larger buffer with garbage around it, so a property can check that a parser reads only
 * the bytes it was given (the receive loop hands parsers a slice of a reused buffer).
 */
public final class Datagrams {
    private Datagrams() {}

    /** Any bytes, 0 to {@code maxLength} long, as exact-size arrays (a read past the end throws). */
    public static Arbitrary<byte[]> anyBytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(maxLength);
    }

    /** {@code datagram} at a random offset of a buffer whose other bytes are random. */
    public record Embedded(byte[] buffer, int offset, int length) {
        public byte[] exact() {
            return Arrays.copyOfRange(buffer, offset, offset + length);
        }
    }

    public static Arbitrary<Embedded> embedded(Arbitrary<byte[]> datagrams) {
        return Combinators.combine(datagrams, anyBytes(64), anyBytes(64)).as((d, before, after) -> {
            byte[] buffer = new byte[before.length + d.length + after.length];
            System.arraycopy(before, 0, buffer, 0, before.length);
            System.arraycopy(d, 0, buffer, before.length, d.length);
            System.arraycopy(after, 0, buffer, before.length + d.length, after.length);
            return new Embedded(buffer, before.length, d.length);
        });
    }

    /** Every prefix of {@code datagram}, as exact-size arrays (truncated headers and bodies). */
    public static byte[][] prefixes(byte[] datagram) {
        byte[][] out = new byte[datagram.length][];
        for (int i = 0; i < datagram.length; i++) {
            out[i] = Arrays.copyOf(datagram, i);
        }
        return out;
    }

    /** {@code datagram} with one bit flipped. */
    public static byte[] flip(byte[] datagram, int bit) {
        byte[] out = datagram.clone();
        out[bit / 8 % out.length] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
