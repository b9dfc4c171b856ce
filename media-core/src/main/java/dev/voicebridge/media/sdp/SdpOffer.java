package dev.voicebridge.media.sdp;

import java.util.List;

/**
 * A parsed, servable offer: everything the answer and the media session need, nothing else.
 *
 * @param sessionId the {@code o=} session id as written (an unbounded decimal, kept as text)
 * @param iceLite the offerer is ICE-lite (RFC 8445 section 2.5); WhatsApp always is, so we must
 *     be a full agent in the controlling role
 * @param bundleMids the mids of {@code a=group:BUNDLE}, empty when the offer does not bundle
 * @param audio the first audio section with a non-zero port
 */
public record SdpOffer(String sessionId, boolean iceLite, List<String> bundleMids, AudioMedia audio) {
    public SdpOffer {
        bundleMids = List.copyOf(bundleMids);
    }
}
