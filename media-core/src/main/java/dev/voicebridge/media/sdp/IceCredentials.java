package dev.voicebridge.media.sdp;

import java.util.Objects;

/**
 * ICE username fragment and password (RFC 8839 section 5.4). Real WhatsApp offers carry base64
 * passwords with {@code +}, {@code /} and {@code =}, outside the RFC's ice-char set, so the only
 * rule enforced is "non-empty, no whitespace, at most 256 characters".
 */
public record IceCredentials(String ufrag, String pwd) {
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
    }

    /** Never print the password: it authenticates STUN connectivity checks. */
    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=<" + pwd.length() + " chars>]";
    }
}
