package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.dtls.Fingerprint;
import dev.voicebridge.media.sdp.SdpOffer;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.media.sdp.SdpRejectedException;
import dev.voicebridge.media.sdp.Setup;

/**
 * The parts of the worker's description (its answer to the phone's offer, or its own offer on a
 * business-initiated call) a WhatsApp-like phone uses; refuses what WhatsApp refuses.
 */
record PhoneAnswer(String ufrag, String pwd, Fingerprint fingerprint) {

    /**
     * The worker's offer, as WhatsApp checks a business's offer: CRLF throughout, a full ICE agent
     * (the phone is ICE-lite, someone must control), {@code actpass}, exactly one fingerprint.
     */
    static SdpOffer checkOffer(String sdp) {
        if (!sdp.endsWith("\r\n") || sdp.replace("\r\n", "").contains("\n")) {
            throw new IllegalArgumentException("offer must use CRLF line endings");
        }
        if (sdp.lines().filter(l -> l.startsWith("a=fingerprint:")).count() != 1) {
            throw new IllegalArgumentException("offer must carry exactly one fingerprint");
        }
        SdpOffer offer;
        try {
            offer = new SdpParser().parse(sdp);
        } catch (SdpRejectedException e) {
            throw new IllegalArgumentException("unusable offer: " + e.getMessage(), e);
        }
        if (offer.iceLite()) {
            throw new IllegalArgumentException("the offerer must be a full ICE agent");
        }
        if (offer.audio().setup() != Setup.ACTPASS) {
            throw new IllegalArgumentException("the offer must be setup:actpass");
        }
        return offer;
    }

    static PhoneAnswer of(SdpOffer offer) {
        var audio = offer.audio();
        return new PhoneAnswer(audio.ice().ufrag(), audio.ice().pwd(), audio.preferredFingerprint());
    }

    static PhoneAnswer parse(String sdp) {
        if (!sdp.endsWith("\r\n")) {
            throw new IllegalArgumentException("answer must end with CRLF");
        }
        String ufrag = null;
        String pwd = null;
        Fingerprint fingerprint = null;
        int fingerprints = 0;
        boolean active = false;
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring(12);
            } else if (line.startsWith("a=ice-pwd:")) {
                pwd = line.substring(10);
            } else if (line.startsWith("a=fingerprint:")) {
                fingerprint = Fingerprint.parse(line.substring(14));
                fingerprints++;
            } else if (line.equals("a=setup:active")) {
                active = true;
            } else if (line.equals("a=ice-lite")) {
                throw new IllegalArgumentException("the answerer must be a full ICE agent");
            }
        }
        if (ufrag == null || pwd == null || fingerprint == null) {
            throw new IllegalArgumentException("answer lacks ICE credentials or fingerprint");
        }
        if (fingerprints != 1) {
            // WhatsApp rejects answers with several fingerprints (docs/protocols.md).
            throw new IllegalArgumentException("answer must carry exactly one fingerprint");
        }
        if (!active) {
            throw new IllegalArgumentException("answer must be setup:active");
        }
        return new PhoneAnswer(ufrag, pwd, fingerprint);
    }
}
