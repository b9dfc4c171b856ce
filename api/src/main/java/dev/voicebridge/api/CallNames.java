package dev.voicebridge.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Resource names from WhatsApp call ids. WhatsApp ids ({@code wacid.HBgL...==}) hold characters
 * Kubernetes names forbid ({@code .}, {@code =}, {@code _}, upper case), so the name is a hash:
 * deterministic (a retried webhook lands on the same resource, making creation idempotent), short
 * enough to be a label value, and valid for any input.
 */
public final class CallNames {
    /** Prefix of every VoiceCall name. */
    public static final String PREFIX = "wa-";
    /** 24 base32 characters = 120 bits of SHA-256: collisions are not a practical concern. */
    private static final int HASH_CHARS = 24;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private CallNames() {}

    /** The VoiceCall name for a call id: {@code wa-} and 24 lower-case base32 characters. */
    public static String forCallId(String callId) {
        if (callId == null || callId.isEmpty()) {
            throw new IllegalArgumentException("call id must not be empty");
        }
        byte[] digest = sha256(callId.getBytes(StandardCharsets.UTF_8));
        var name = new StringBuilder(PREFIX.length() + HASH_CHARS).append(PREFIX);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; name.length() < PREFIX.length() + HASH_CHARS; ) {
            if (bits < 5) {
                buffer = (buffer << 8) | (digest[i++] & 0xff);
                bits += 8;
            }
            name.append(BASE32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }

    /** Prefix of the {@code biz_opaque_callback_data} voicebridge gives WhatsApp on connect and accept. */
    public static final String CALLBACK_PREFIX = "voicebridge:";

    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$");

    /**
     * The {@code biz_opaque_callback_data} of a call: its resource name. WhatsApp echoes it in the
     * call's later webhooks (answer, statuses, terminate), so they map back to the VoiceCall even
     * without a call id (an outbound call's id is known only once connect returned).
     */
    public static String callbackData(String resourceName) {
        return CALLBACK_PREFIX + resourceName;
    }

    /** The resource name a {@link #callbackData} value carries; empty for anything else. */
    public static java.util.Optional<String> fromCallbackData(String value) {
        if (value == null || !value.startsWith(CALLBACK_PREFIX)) {
            return java.util.Optional.empty();
        }
        String name = value.substring(CALLBACK_PREFIX.length());
        return NAME.matcher(name).matches() ? java.util.Optional.of(name) : java.util.Optional.empty();
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
