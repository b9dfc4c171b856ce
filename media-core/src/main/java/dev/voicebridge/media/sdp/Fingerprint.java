package dev.voicebridge.media.sdp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A certificate fingerprint, {@code a=fingerprint:<hash> <hex:hex:...>} (RFC 8122 section 5).
 *
 * @param algorithm lower-case hash name as registered by IANA ({@code sha-256}, ...)
 * @param hex upper-case, colon-separated digest bytes, the form SDP carries
 */
public record Fingerprint(String algorithm, String hex) {
    /** Hash functions from RFC 8122's registry that a DTLS endpoint can verify against. */
    public static final Set<String> KNOWN_ALGORITHMS = Set.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        hex = hex.toUpperCase(Locale.ROOT);
    }

    /** The fingerprint of a DER-encoded certificate, as we put it in our answer. */
    public static Fingerprint sha256Of(byte[] derCertificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(derCertificate);
            return new Fingerprint("sha-256", COLON_HEX.formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The digest bytes. */
    public byte[] bytes() {
        return COLON_HEX.parseHex(hex);
    }

    /** The JCA name of {@link #algorithm()}: {@code sha-256} becomes {@code SHA-256}. */
    public String jcaAlgorithm() {
        return algorithm.toUpperCase(Locale.ROOT);
    }

    /** True when {@code derCertificate} hashes to this fingerprint (constant-time compare). */
    public boolean matches(byte[] derCertificate) {
        try {
            byte[] digest = MessageDigest.getInstance(jcaAlgorithm()).digest(derCertificate);
            return MessageDigest.isEqual(digest, bytes());
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
    }

    String sdpValue() {
        return algorithm + " " + hex;
    }

    static boolean isWellFormedHex(String value) {
        if (value.isEmpty() || (value.length() + 1) % 3 != 0) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean separator = i % 3 == 2;
            if (separator ? c != ':' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
