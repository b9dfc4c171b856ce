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
    /**
     * The Opus parameters we ask the peer to send with (RFC 7587 6.1): 20 ms frames and in-band FEC
     * so a single loss is recovered; we decode at 24 kHz, so more than that is wasted bits.
     */
    static final String OUR_OPUS_FMTP = "minptime=20;useinbandfec=1;maxplaybackrate=24000;sprop-maxcapturerate=24000";

    public String build(SdpOffer offer, AnswerSpec spec) {
        AudioMedia audio = offer.audio();
        var sdp = new SdpLines(spec);
        if (!offer.bundleMids().isEmpty()
                && audio.mid().isPresent()
                && offer.bundleMids().contains(audio.mid().get())) {
            // We answer only the audio section, so only its mid stays in the group (RFC 8843 7.3.3).
            sdp.line("a=group:BUNDLE " + audio.mid().get());
        }
        sdp.audioSection(audio.telephoneEvent()
                        .map(t -> audio.opus().payloadType() + " " + t.payloadType())
                        .orElse(String.valueOf(audio.opus().payloadType())))
                .transport("active");
        audio.mid().ifPresent(mid -> sdp.line("a=mid:" + mid));
        sdp.line("a=sendrecv");
        if (audio.rtcpMux()) {
            sdp.line("a=rtcp-mux");
        }
        int opusPt = audio.opus().payloadType();
        sdp.line("a=rtpmap:" + opusPt + " opus/48000/2").line("a=fmtp:" + opusPt + " " + OUR_OPUS_FMTP);
        audio.telephoneEvent().ifPresent(t -> {
            sdp.line("a=rtpmap:" + t.payloadType() + " telephone-event/" + t.clockRate());
            if (!t.fmtp().isEmpty()) {
                sdp.line("a=fmtp:" + t.payloadType() + " " + t.fmtp());
            }
        });
        return sdp.close();
    }
}
