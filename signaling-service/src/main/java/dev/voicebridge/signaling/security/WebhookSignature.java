package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.SecretValue;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Hub-Signature-256: sha256=<hex>} = HMAC-SHA256(app secret, raw body bytes) (Meta
 * webhooks, "Validating payloads"). Verified over the bytes as received: re-serialized JSON differs
 * (escaping of {@code /}, unicode, whitespace), so it must never be parsed first.
 */
public final class WebhookSignature {
    private static final String PREFIX = "sha256=";
    private final SecretKeySpec key;

    public WebhookSignature(SecretValue appSecret) {
        // An empty secret would make every forged signature computable: refuse all instead.
        this.key = appSecret.isEmpty() ? null : new SecretKeySpec(appSecret.bytes(), "HmacSHA256");
    }

    /** Throws a 401 problem unless {@code header} is the signature of {@code body}. */
    public void verify(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw new ProblemException(ProblemCode.SIGNATURE_MISSING, "X-Hub-Signature-256 header is missing");
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new ProblemException(ProblemCode.SIGNATURE_INVALID, "X-Hub-Signature-256 must start with sha256=");
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(value.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.SIGNATURE_INVALID, "X-Hub-Signature-256 is not hex");
        }
        if (key == null || !MessageDigest.isEqual(sign(body), presented)) {
            throw new ProblemException(ProblemCode.SIGNATURE_INVALID, "X-Hub-Signature-256 does not match the body");
        }
    }

    /** {@code sha256=<hex>} for a body; used by tests and the load benchmark to sign payloads. */
    public String header(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(sign(body));
    }

    private byte[] sign(byte[] body) {
        if (key == null) {
            return new byte[0];
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    public static String headerFor(String secret, String body) {
        return new WebhookSignature(SecretValue.of(secret)).header(body.getBytes(StandardCharsets.UTF_8));
    }
}
