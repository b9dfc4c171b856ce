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

    private static final String CRLF = "\r\n";

    public String build(AnswerSpec spec) {
        var first = spec.candidates().getFirst();
        String addrType = first.isIpv6() ? "IP6" : "IP4";
        var sb = new StringBuilder(1024);
        line(sb, "v=0");
        line(sb, "o=- " + spec.sessionId() + " 2 IN IP4 127.0.0.1");
        line(sb, "s=-");
        line(sb, "t=0 0");
        line(sb, "a=group:BUNDLE " + MID);
        line(sb, "m=audio " + first.port() + " UDP/TLS/RTP/SAVPF " + OPUS_PT + " " + DTMF_PT);
        line(sb, "c=IN " + addrType + " " + first.address());
        for (IceCandidate c : spec.candidates()) {
            line(sb, "a=candidate:" + c.sdpValue());
        }
        line(sb, "a=end-of-candidates");
        line(sb, "a=ice-ufrag:" + spec.ice().ufrag());
        line(sb, "a=ice-pwd:" + spec.ice().pwd());
        line(sb, "a=fingerprint:" + spec.fingerprint().toSdpValue());
        line(sb, "a=setup:actpass");
        line(sb, "a=mid:" + MID);
        line(sb, "a=sendrecv");
        line(sb, "a=rtcp-mux");
        line(sb, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
        line(sb, "a=fmtp:" + OPUS_PT + " " + SdpAnswerBuilder.OUR_OPUS_FMTP);
        line(sb, "a=rtpmap:" + DTMF_PT + " telephone-event/8000");
        line(sb, "a=fmtp:" + DTMF_PT + " 0-15");
        line(sb, "a=ptime:20");
        line(sb, "a=maxptime:20");
        spec.ssrc()
                .ifPresent(ssrc ->
                        line(sb, "a=ssrc:" + ssrc + " cname:" + spec.cname().orElseThrow()));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String line) {
        sb.append(line).append(CRLF);
    }
}
