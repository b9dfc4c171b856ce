package dev.voicebridge.media.sdp;

import java.util.Locale;

/** Media direction attribute (RFC 8866 section 6.7). Absent means {@link #SENDRECV}. */
public enum Direction {
    SENDRECV,
    SENDONLY,
    RECVONLY,
    INACTIVE;

    public String sdpValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
