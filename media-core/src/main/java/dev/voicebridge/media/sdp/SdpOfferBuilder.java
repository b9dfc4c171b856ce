package dev.voicebridge.media.sdp;

/**
 * Builds our offer for a business-initiated call, the mirror of {@link SdpAnswerBuilder}: full
 * ICE (no ice-lite; with WhatsApp, which is ICE-lite, we are the controlling agent, RFC 8445
 * section 6.1.1), {@code a=setup:actpass} as every DTLS-SRTP offerer (RFC 8842 section 5.2) —
 * the answer's {@code a=setup} then decides our DTLS role —, exactly one sha-256 fingerprint,
 * Opus on WhatsApp's payload type 111 and telephone-event/8000 on 126, one audio section with mid
 * {@code audio} bundled on itself, rtcp-mux, {@code sendrecv}, ptime 20, all our candidates and
 * {@code end-of-candidates} (no trickle on this leg), CRLF line endings including after the last.
 *
 * <p>Deterministic for a given spec, like the answer builder.
 */
public final class SdpOfferBuilder {
    /** Opus payload type of the offer: the one WhatsApp's own offers use. */
    public static final int OPUS_PT = 111;
    /** telephone-event payload type of the offer: WhatsApp's. */
    public static final int DTMF_PT = 126;

    public static final String MID = "audio";

    public String build(AnswerSpec spec) {
        return new SdpLines(spec)
                .line("a=group:BUNDLE " + MID)
                .audioSection(OPUS_PT + " " + DTMF_PT)
                .transport("actpass")
                .line("a=mid:" + MID)
                .line("a=sendrecv")
                .line("a=rtcp-mux")
                .line("a=rtpmap:" + OPUS_PT + " opus/48000/2")
                .line("a=fmtp:" + OPUS_PT + " " + SdpAnswerBuilder.OUR_OPUS_FMTP)
                .line("a=rtpmap:" + DTMF_PT + " telephone-event/8000")
                .line("a=fmtp:" + DTMF_PT + " 0-15")
                .close();
    }
}
