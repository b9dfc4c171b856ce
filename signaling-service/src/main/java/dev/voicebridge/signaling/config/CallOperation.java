package dev.voicebridge.signaling.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a call-API client may do; each resource method of the call API requires exactly one. */
public enum CallOperation {
    CREATE,
    LIST,
    READ,
    ACCEPT,
    HANGUP,
    /** Place a business-initiated (outbound) call: {@code POST /v1/calls/outbound}. */
    DIAL,
    /** Download WhatsApp's recording or transcript of a call (conversation content). */
    MEDIA;

    /** The name used in the clients file and in problem details. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CallOperation> parse(String value) {
        return Arrays.stream(values()).filter(op -> op.wire().equals(value)).findFirst();
    }
}
