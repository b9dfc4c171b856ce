package dev.voicebridge.media.stun;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** A STUN transaction id (96 bits), usable as a map key. */
public record TransactionId(byte[] bytes) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public TransactionId {
        bytes = bytes.clone();
    }

    public static TransactionId random() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return new TransactionId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
