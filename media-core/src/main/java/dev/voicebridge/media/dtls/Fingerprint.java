package dev.voicebridge.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as carried in SDP ({@code a=fingerprint:sha-256 AB:CD:...}, RFC 8122).
 * Only SHA-256 is produced; SHA-256 and stronger are accepted from peers.
 */
public record Fingerprint(String algorithm, byte[] digest) {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    public Fingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        digest = digest.clone();
        if (javaAlgorithm(algorithm) == null) {
            throw new IllegalArgumentException("Unsupported fingerprint hash: " + algorithm);
        }
    }

    /** SHA-256 fingerprint of a DER-encoded certificate. */
    public static Fingerprint sha256(byte[] derCertificate) {
        return new Fingerprint("sha-256", hash("SHA-256", derCertificate));
    }

    /** Parses the value of an SDP fingerprint attribute: {@code <hash> <hex:hex:...>}. */
    public static Fingerprint parse(String sdpValue) {
        String[] parts = sdpValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Fingerprint must be '<hash> <hex>'");
        }
        try {
            return new Fingerprint(parts[0], HEX.parseHex(parts[1].toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Fingerprint is not colon-separated hex", e);
        }
    }

    /** Whether a peer's DER certificate hashes to this fingerprint (constant-time comparison). */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(digest, hash(javaAlgorithm(algorithm), derCertificate));
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The SDP attribute value, e.g. {@code sha-256 AB:CD:...}. */
    public String toSdpValue() {
        return algorithm + " " + HEX.formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.algorithm.equals(algorithm) && MessageDigest.isEqual(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    private static String javaAlgorithm(String sdpName) {
        return switch (sdpName) {
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> null;
        };
    }

    private static byte[] hash(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is a mandatory JDK algorithm", e);
        }
    }
}
