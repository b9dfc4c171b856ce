package dev.voicebridge.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A certificate fingerprint as SDP carries it, {@code a=fingerprint:<hash> <hex:hex:...>} (RFC 8122
 * section 5): what an offer pins the peer's DTLS certificate to, and what our answer announces for
 * ours. The one type for both the SDP layer (parse, announce) and the DTLS layer (verify).
 *
 * @param algorithm lower-case hash name as registered by IANA ({@code sha-256}, ...)
 * @param hex upper-case, colon-separated digest bytes, the form SDP carries
 */
public record Fingerprint(String algorithm, String hex) {
    /** Hash functions from RFC 8122's registry that an offer may name. */
    public static final Set<String> KNOWN_ALGORITHMS = Set.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

    /**
     * What we verify a peer's certificate with: SHA-256 and stronger (RFC 8827 6.5). Weaker hashes
     * are parsed from offers (and lose to a stronger one in the same offer) but never trusted.
     */
    public static final Set<String> DTLS_ALGORITHMS = Set.of("sha-256", "sha-384", "sha-512");

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        hex = hex.toUpperCase(Locale.ROOT);
        if (!KNOWN_ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("Unsupported fingerprint hash: " + algorithm);
        }
        if (!isWellFormedHex(hex)) {
            throw new IllegalArgumentException("Fingerprint is not colon-separated hex");
        }
    }

    /** The SHA-256 fingerprint of a DER-encoded certificate, as we put it in our answer. */
    public static Fingerprint sha256Of(byte[] derCertificate) {
        return new Fingerprint("sha-256", COLON_HEX.formatHex(hash("SHA-256", derCertificate)));
    }

    /** Parses the value of an SDP fingerprint attribute: {@code <hash> <hex:hex:...>}. */
    public static Fingerprint parse(String sdpValue) {
        String[] parts = sdpValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Fingerprint must be '<hash> <hex>'");
        }
        return new Fingerprint(parts[0], parts[1]);
    }

    /** The digest bytes. */
    public byte[] bytes() {
        return COLON_HEX.parseHex(hex);
    }

    /** The JCA name of {@link #algorithm()}: {@code sha-256} becomes {@code SHA-256}. */
    public String jcaAlgorithm() {
        return algorithm.toUpperCase(Locale.ROOT);
    }

    /** Strong enough to trust a peer's certificate with ({@link #DTLS_ALGORITHMS}). */
    public boolean verifiesDtls() {
        return DTLS_ALGORITHMS.contains(algorithm);
    }

    /** True when {@code derCertificate} hashes to this fingerprint (constant-time compare). */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(hash(jcaAlgorithm(), derCertificate), bytes());
    }

    /** The SDP attribute value, e.g. {@code sha-256 AB:CD:...}. */
    public String toSdpValue() {
        return algorithm + " " + hex;
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    /** {@code XX:XX:...:XX}, hex digits in either case. */
    public static boolean isWellFormedHex(String value) {
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

    private static byte[] hash(String jcaAlgorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(jcaAlgorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaAlgorithm + " is a mandatory JDK algorithm", e);
        }
    }
}
