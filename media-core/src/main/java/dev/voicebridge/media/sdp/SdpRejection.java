package dev.voicebridge.media.sdp;

/**
 * Why an offer cannot be served. The {@link #code()} strings are stable: they end up in call
 * status conditions, metrics labels and HTTP problem documents, so never rename one.
 */
public enum SdpRejection {
    /** The offer is larger than {@link SdpParser#MAX_OFFER_BYTES}. */
    OVERSIZE("sdp.oversize"),
    /** A line is not {@code <letter>=<value>}, or a mandatory field cannot be read. */
    MALFORMED("sdp.malformed"),
    /** No {@code m=audio} section with a non-zero port. */
    NO_AUDIO("sdp.no-audio"),
    /** The audio section is not {@code UDP/TLS/RTP/SAVPF} (RFC 5764 + RFC 5124, what WebRTC uses). */
    UNSUPPORTED_PROTOCOL("sdp.unsupported-protocol"),
    /** The audio section does not offer {@code opus/48000/2}. */
    NO_OPUS("sdp.no-opus"),
    /** No {@code a=fingerprint} we can verify the DTLS peer against (RFC 8122). */
    NO_FINGERPRINT("sdp.no-fingerprint"),
    /** A fingerprint line whose hash or value cannot be read. */
    BAD_FINGERPRINT("sdp.bad-fingerprint"),
    /** {@code a=ice-ufrag} or {@code a=ice-pwd} missing or unusable (RFC 8839 section 5.4). */
    NO_ICE_CREDENTIALS("sdp.no-ice-credentials"),
    /**
     * {@code a=setup} that leaves us no DTLS role: an offer that is not {@code actpass}/{@code
     * passive} (we answer {@code active}), an answer without a role or with {@code holdconn}.
     */
    BAD_SETUP("sdp.bad-setup"),
    /** An {@code a=candidate} line that does not follow RFC 8839 section 5.1 grammar. */
    BAD_CANDIDATE("sdp.bad-candidate");

    private final String code;

    SdpRejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
