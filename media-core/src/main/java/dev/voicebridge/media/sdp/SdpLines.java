package dev.voicebridge.media.sdp;

/**
 * The lines our offer and our answer share, in the order both write them, with CRLF after each
 * (including the last): the session lines, the address and transport of the one audio section (all
 * our candidates, {@code end-of-candidates}, ICE credentials, the sha-256 fingerprint and the DTLS
 * role), and the frame size and SSRC lines that close it.
 */
final class SdpLines {
    private static final String CRLF = "\r\n";

    private final StringBuilder sb = new StringBuilder(1024);
    private final AnswerSpec spec;

    SdpLines(AnswerSpec spec) {
        this.spec = spec;
        line("v=0");
        line("o=- " + spec.sessionId() + " 2 IN IP4 127.0.0.1");
        line("s=-");
        line("t=0 0");
    }

    SdpLines line(String line) {
        sb.append(line).append(CRLF);
        return this;
    }

    /** {@code m=audio} on the first candidate's port with these payload types, then {@code c=}. */
    SdpLines audioSection(String payloadTypes) {
        var first = spec.candidates().getFirst();
        line("m=audio " + first.port() + " UDP/TLS/RTP/SAVPF " + payloadTypes);
        return line("c=IN " + (first.isIpv6() ? "IP6" : "IP4") + " " + first.address());
    }

    /** Candidates (no trickle on this leg), ICE credentials, fingerprint, {@code a=setup}. */
    SdpLines transport(String setup) {
        for (IceCandidate c : spec.candidates()) {
            line("a=candidate:" + c.sdpValue());
        }
        line("a=end-of-candidates");
        line("a=ice-ufrag:" + spec.ice().ufrag());
        line("a=ice-pwd:" + spec.ice().pwd());
        line("a=fingerprint:" + spec.fingerprint().toSdpValue());
        return line("a=setup:" + setup);
    }

    /** 20 ms frames only, and our SSRC with its CNAME when the spec has one; the finished text. */
    String close() {
        line("a=ptime:20");
        line("a=maxptime:20");
        spec.ssrc()
                .ifPresent(
                        ssrc -> line("a=ssrc:" + ssrc + " cname:" + spec.cname().orElseThrow()));
        return sb.toString();
    }
}
