package dev.voicebridge.testkit.ws;

/** WebSocket close status codes (RFC 6455 §7.4.1 and the IANA registry) the fakes and the host use. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported to the listener when a close frame had no code; never sent. */
    public static final int NO_STATUS = 1005;
    /** Reported to the listener when the socket ended without a close frame; never sent. */
    public static final int ABNORMAL = 1006;

    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {}

    /** Whether a peer may send {@code code} in a close frame (RFC 6455 §7.4). */
    static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
