package dev.voicebridge.media.sdp;

import java.net.InetSocketAddress;

/**
 * An offer shaped like the one a WhatsApp client sends: session-level {@code a=ice-lite},
 * {@code actpass}, one sha-256 fingerprint, rtcp-mux, BUNDLE on mid {@code audio}, Opus with
 * WhatsApp's fmtp, telephone-event/8000, ptime 20, CRLF throughout. Made by the synthetic phones
 * of the tests and by the worker's start-up self-call, which plays WhatsApp's side on loopback.
 */
public final class WhatsAppOffer {
    private static final String STREAM = "c3867497-e6f7-4408-82b7-80dbd11b94cf";

    private WhatsAppOffer() {}

    public static String build(
            InetSocketAddress candidate,
            String ufrag,
            String pwd,
            String fingerprintSdpValue,
            long ssrc,
            int opusPt,
            int dtmfPt) {
        String ip = candidate.getAddress().getHostAddress();
        int port = candidate.getPort();
        String family = ip.indexOf(':') >= 0 ? "IP6" : "IP4";
        return String.join(
                        "\r\n",
                        "v=0",
                        "o=- " + System.currentTimeMillis() + " 2 IN IP4 127.0.0.1",
                        "s=-",
                        "t=0 0",
                        "a=group:BUNDLE audio",
                        "a=msid-semantic: WMS " + STREAM,
                        "a=ice-lite",
                        "m=audio " + port + " UDP/TLS/RTP/SAVPF " + opusPt + " " + dtmfPt,
                        "c=IN " + family + " " + ip,
                        "a=rtcp:9 IN IP4 0.0.0.0",
                        "a=candidate:3935165743 1 udp 2122260223 " + ip + " " + port
                                + " typ host generation 0 network-cost 50",
                        "a=ice-ufrag:" + ufrag,
                        "a=ice-pwd:" + pwd,
                        "a=fingerprint:" + fingerprintSdpValue,
                        "a=setup:actpass",
                        "a=mid:audio",
                        "a=sendrecv",
                        "a=msid:" + STREAM + " WhatsAppTrack1",
                        "a=rtcp-mux",
                        "a=rtpmap:" + opusPt + " opus/48000/2",
                        "a=rtcp-fb:" + opusPt + " transport-cc",
                        "a=fmtp:" + opusPt
                                + " maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1",
                        "a=rtpmap:" + dtmfPt + " telephone-event/8000",
                        "a=maxptime:20",
                        "a=ptime:20",
                        "a=ssrc:" + ssrc + " cname:WhatsAppAudioStream1")
                + "\r\n";
    }
}
