package dev.voicebridge.media.sdp;

import java.util.Locale;
import java.util.Optional;

/** DTLS role negotiation, {@code a=setup} (RFC 4145 section 4, RFC 5763 section 5). */
public enum Setup {
    ACTIVE,
    PASSIVE,
    ACTPASS,
    HOLDCONN;

    public String sdpValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Setup> parse(String value) {
        for (Setup s : values()) {
            if (s.sdpValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
