package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.dtls.Fingerprint;

/** The parts of the worker's answer a WhatsApp-like phone uses; refuses what WhatsApp refuses. */
record PhoneAnswer(String ufrag, String pwd, Fingerprint fingerprint) {
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
