package dev.voicebridge.media.sdp;

import dev.voicebridge.media.dtls.Fingerprint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Our side of a description, the answer to an offer or our own offer: what the transport layer
 * knows about itself.
 *
 * @param ice our ICE credentials (we generate them per call; 4+ / 22+ ice-chars, RFC 8839 5.4)
 * @param fingerprint the sha-256 fingerprint of our DTLS certificate (exactly one goes out)
 * @param candidates our host or advertised (statically mapped) candidates, at least one
 * @param sessionId the {@code o=} session id, a positive number below 2^63 (RFC 8866 5.2)
 * @param ssrc our RTP SSRC when already chosen, announced with {@code cname}
 * @param cname the RTCP CNAME of our stream, required when {@code ssrc} is present
 */
public record AnswerSpec(
        IceCredentials ice,
        Fingerprint fingerprint,
        List<IceCandidate> candidates,
        long sessionId,
        Optional<Long> ssrc,
        Optional<String> cname) {

    public AnswerSpec {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("an answer without candidates cannot connect (no trickle on this leg)");
        }
        if (!fingerprint.algorithm().equals("sha-256")) {
            throw new IllegalArgumentException(
                    "the answer carries exactly one sha-256 fingerprint (docs/protocols.md)");
        }
        if (sessionId <= 0) {
            throw new IllegalArgumentException("sessionId must be positive");
        }
        if (ssrc.isPresent() != cname.isPresent()) {
            throw new IllegalArgumentException("ssrc and cname go together");
        }
    }

    public AnswerSpec(IceCredentials ice, Fingerprint fingerprint, List<IceCandidate> candidates, long sessionId) {
        this(ice, fingerprint, candidates, sessionId, Optional.empty(), Optional.empty());
    }

    public AnswerSpec withSsrc(long ssrc, String cname) {
        return new AnswerSpec(ice, fingerprint, candidates, sessionId, Optional.of(ssrc), Optional.of(cname));
    }
}
