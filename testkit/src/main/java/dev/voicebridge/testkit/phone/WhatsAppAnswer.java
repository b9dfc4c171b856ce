package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.sdp.SdpOffer;
import java.net.InetSocketAddress;

/**
 * The answer WhatsApp gives to a business's offer (business-initiated calls), in the shape of its
 * own offers: session-level {@code a=ice-lite}, one host candidate, one sha-256 fingerprint, the
 * offer's Opus and telephone-event payload types and mid, rtcp-mux, WhatsApp's Opus fmtp, and a
 * concrete DTLS role ({@code passive}: WhatsApp serves, as its offers let it; {@code active}: it
 * connects, so the business must serve), CRLF throughout.
 */
final class WhatsAppAnswer {
    private WhatsAppAnswer() {}

    static String build(
            SdpOffer offer,
            InetSocketAddress candidate,
            String ufrag,
            String pwd,
            String fingerprintSdpValue,
            long ssrc,
            boolean active) {
        var audio = offer.audio();
        String ip = candidate.getAddress().getHostAddress();
        int port = candidate.getPort();
        String family = ip.indexOf(':') >= 0 ? "IP6" : "IP4";
        int opusPt = audio.opus().payloadType();
        String mid = audio.mid().orElse("audio");
        var sb = new StringBuilder();
        sb.append("v=0\r\n")
                .append("o=- ")
                .append(System.currentTimeMillis())
                .append(" 2 IN IP4 127.0.0.1\r\n")
                .append("s=-\r\n")
                .append("t=0 0\r\n");
        if (offer.bundleMids().contains(mid)) {
            sb.append("a=group:BUNDLE ").append(mid).append("\r\n");
        }
        sb.append("a=ice-lite\r\n")
                .append("m=audio ")
                .append(port)
                .append(" UDP/TLS/RTP/SAVPF ")
                .append(opusPt)
                .append(audio.telephoneEvent().map(t -> " " + t.payloadType()).orElse(""))
                .append("\r\n")
                .append("c=IN ")
                .append(family)
                .append(' ')
                .append(ip)
                .append("\r\n")
                .append("a=candidate:3935165743 1 udp 2122260223 ")
                .append(ip)
                .append(' ')
                .append(port)
                .append(" typ host generation 0 network-cost 50\r\n")
                .append("a=ice-ufrag:")
                .append(ufrag)
                .append("\r\n")
                .append("a=ice-pwd:")
                .append(pwd)
                .append("\r\n")
                .append("a=fingerprint:")
                .append(fingerprintSdpValue)
                .append("\r\n")
                .append("a=setup:")
                .append(active ? "active" : "passive")
                .append("\r\n")
                .append("a=mid:")
                .append(mid)
                .append("\r\n")
                .append("a=sendrecv\r\n")
                .append("a=rtcp-mux\r\n")
                .append("a=rtpmap:")
                .append(opusPt)
                .append(" opus/48000/2\r\n")
                .append("a=fmtp:")
                .append(opusPt)
                .append(" maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;")
                .append("useinbandfec=1\r\n");
        audio.telephoneEvent().ifPresent(t -> sb.append("a=rtpmap:")
                .append(t.payloadType())
                .append(" telephone-event/")
                .append(t.clockRate())
                .append("\r\n"));
        sb.append("a=ptime:20\r\n").append("a=ssrc:").append(ssrc).append(" cname:WhatsAppAudioStream1\r\n");
        return sb.toString();
    }
}
