package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.sdp.AnswerSpec;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.sdp.SdpAnswerBuilder;
import dev.voicebridge.media.sdp.SdpOffer;
import dev.voicebridge.media.sdp.SdpOfferBuilder;
import dev.voicebridge.worker.pipeline.MediaHandler;
import java.security.SecureRandom;

/**
 * Our SDP for one call, built once: the answer to the caller's offer, or our offer on a
 * business-initiated call. The same bytes every time they are asked for (pre_accept and accept
 * must carry the same answer).
 */
record LocalDescription(String callId, boolean offering, String sdp) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** @param offer the caller's offer, or null when we offer */
    static LocalDescription of(
            String callId, SdpOffer offer, IceCredentials ice, SharedResources shared, MediaHandler media) {
        var spec = new AnswerSpec(
                ice, shared.dtls().identity().fingerprint(), shared.localCandidates(), 1 + (RANDOM.nextLong() >>> 2));
        if (media.localSsrc() >= 0 && media.cname() != null) {
            spec = spec.withSsrc(media.localSsrc(), media.cname());
        }
        return offer == null
                ? new LocalDescription(callId, true, new SdpOfferBuilder().build(spec))
                : new LocalDescription(callId, false, new SdpAnswerBuilder().build(offer, spec));
    }

    String answer() {
        if (offering) {
            throw new IllegalStateException("call " + callId + " offers: see offer()");
        }
        return sdp;
    }

    String offer() {
        if (!offering) {
            throw new IllegalStateException("call " + callId + " answers: see answer()");
        }
        return sdp;
    }
}
