package dev.voicebridge.media.sdp;

/**
 * An offer we refuse to answer. {@link #reason()} is the stable machine-readable cause;
 * {@link #detail()} names the offending line (never the whole SDP, which carries ICE passwords).
 */
public final class SdpRejectedException extends Exception {
    private final SdpRejection reason;
    private final String detail;

    public SdpRejectedException(SdpRejection reason, String detail) {
        super(reason.code() + ": " + detail);
        this.reason = reason;
        this.detail = detail;
    }

    public SdpRejection reason() {
        return reason;
    }

    /** Stable code such as {@code sdp.no-opus}. */
    public String code() {
        return reason.code();
    }

    public String detail() {
        return detail;
    }
}
