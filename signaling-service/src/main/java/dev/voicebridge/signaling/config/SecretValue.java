package dev.voicebridge.signaling.config;

import java.nio.charset.StandardCharsets;

/**
 * A secret read from a mounted Secret file or the environment. {@link #toString()} never shows it,
 * so a secret cannot leak through a log line or an exception message by accident.
 */
public record SecretValue(byte[] bytes) {
    public SecretValue {
        bytes = bytes.clone();
    }

    public static SecretValue of(String value) {
        return new SecretValue(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public String toString() {
        return "SecretValue[redacted, " + bytes.length + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretValue s && java.security.MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.length;
    }
}
