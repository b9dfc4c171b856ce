package dev.voicebridge.media.sdp;

/**
 * Builds our answer to a parsed offer, per docs/protocols.md "SDP": full ICE (no ice-lite, we
 * are controlling), {@code setup:active} (we are the DTLS client), exactly one sha-256
 * fingerprint, the offer's Opus and telephone-event payload types, mid/BUNDLE/rtcp-mux mirrored,
 * {@code sendrecv}, ptime 20, all our candidates then {@code end-of-candidates} (the leg has no
 * trickle), CRLF line endings including after the last line.
 *
 * <p>Deterministic: the same offer and spec give the same bytes, which matters because WhatsApp
 * requires the accept SDP to be byte-identical to the pre_accept SDP.
 */
public final class SdpAnswerBuilder {
    private static final String CRLF = "\r\n";

    /**
     * The Opus parameters we ask the peer to send with (RFC 7587 6.1): 20 ms frames and in-band FEC
     * so a single loss is recovered; we decode at 24 kHz, so more than that is wasted bits.
     */
    static final String OUR_OPUS_FMTP = "minptime=20;useinbandfec=1;maxplaybackrate=24000;sprop-maxcapturerate=24000";

    public String build(SdpOffer offer, AnswerSpec spec) {
        AudioMedia audio = offer.audio();
        var first = spec.candidates().getFirst();
        String addrType = first.isIpv6() ? "IP6" : "IP4";
        var sb = new StringBuilder(1024);
        line(sb, "v=0");
        line(sb, "o=- " + spec.sessionId() + " 2 IN IP4 127.0.0.1");
        line(sb, "s=-");
        line(sb, "t=0 0");
        if (!offer.bundleMids().isEmpty()
                && audio.mid().isPresent()
                && offer.bundleMids().contains(audio.mid().get())) {
            // We answer only the audio section, so only its mid stays in the group (RFC 8843 7.3.3).
            line(sb, "a=group:BUNDLE " + audio.mid().get());
        }
        String pts = audio.telephoneEvent()
                .map(t -> audio.opus().payloadType() + " " + t.payloadType())
                .orElse(String.valueOf(audio.opus().payloadType()));
        line(sb, "m=audio " + first.port() + " UDP/TLS/RTP/SAVPF " + pts);
        line(sb, "c=IN " + addrType + " " + first.address());
        for (IceCandidate c : spec.candidates()) {
            line(sb, "a=candidate:" + c.sdpValue());
        }
        line(sb, "a=end-of-candidates");
        line(sb, "a=ice-ufrag:" + spec.ice().ufrag());
        line(sb, "a=ice-pwd:" + spec.ice().pwd());
        line(sb, "a=fingerprint:" + spec.fingerprint().toSdpValue());
        line(sb, "a=setup:active");
        audio.mid().ifPresent(mid -> line(sb, "a=mid:" + mid));
        line(sb, "a=sendrecv");
        if (audio.rtcpMux()) {
            line(sb, "a=rtcp-mux");
        }
        int opusPt = audio.opus().payloadType();
        line(sb, "a=rtpmap:" + opusPt + " opus/48000/2");
        line(sb, "a=fmtp:" + opusPt + " " + OUR_OPUS_FMTP);
        audio.telephoneEvent().ifPresent(t -> {
            line(sb, "a=rtpmap:" + t.payloadType() + " telephone-event/" + t.clockRate());
            if (!t.fmtp().isEmpty()) {
                line(sb, "a=fmtp:" + t.payloadType() + " " + t.fmtp());
            }
        });
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
