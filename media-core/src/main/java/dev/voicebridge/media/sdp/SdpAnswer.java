package dev.voicebridge.media.sdp;

import java.util.List;

/**
 * A parsed answer to an offer we made (business-initiated calls). Its audio section has the same
 * shape as an offer's; {@code audio.setup()} is the answerer's DTLS role, {@link Setup#ACTIVE}
 * (it is the client, we serve) or {@link Setup#PASSIVE} (we are the client).
 *
 * @param iceLite the answerer is ICE-lite (WhatsApp always is): we stay the controlling agent
 */
public record SdpAnswer(String sessionId, boolean iceLite, List<String> bundleMids, AudioMedia audio) {
    public SdpAnswer {
        bundleMids = List.copyOf(bundleMids);
    }

    /** The answerer serves DTLS unless it said {@code a=setup:active}. */
    public boolean weAreDtlsClient() {
        return audio.setup() != Setup.ACTIVE;
    }
}
