package dev.voicebridge.media.sdp;

import dev.voicebridge.media.dtls.Fingerprint;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The audio section of an offer, with session-level ICE/DTLS attributes already folded in (a
 * media-level attribute overrides the session-level one, RFC 8839 section 5.4, RFC 8122 section 5).
 *
 * @param port the {@code m=} port (informational: ICE decides where media goes)
 * @param protocol the transport protocol as written ({@code UDP/TLS/RTP/SAVPF})
 * @param payloadTypes the {@code m=} format list in offer order
 * @param mid {@code a=mid}, absent when the offer has none
 * @param fingerprints all usable {@code a=fingerprint} lines (one or more)
 * @param setup {@code a=setup}; {@link Setup#ACTPASS} when absent (RFC 5763 section 5 offerer rule)
 * @param telephoneEvent the telephone-event payload we will use, preferring one on Opus's 48 kHz clock
 * @param ptime {@code a=ptime} in ms when present
 * @param ssrc the first {@code a=ssrc} id when present
 * @param cname the CNAME announced for that SSRC when present
 */
public record AudioMedia(
        int port,
        String protocol,
        List<Integer> payloadTypes,
        Optional<String> mid,
        IceCredentials ice,
        List<Fingerprint> fingerprints,
        Setup setup,
        boolean rtcpMux,
        Direction direction,
        OpusFormat opus,
        Optional<TelephoneEventFormat> telephoneEvent,
        Optional<Integer> ptime,
        List<IceCandidate> candidates,
        boolean endOfCandidates,
        Optional<Long> ssrc,
        Optional<String> cname) {

    public AudioMedia {
        payloadTypes = List.copyOf(payloadTypes);
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
    }

    /** The fingerprint the DTLS handshake must match: the strongest one offered. */
    public Fingerprint preferredFingerprint() {
        return fingerprints.stream()
                .max(Comparator.comparingInt(f -> f.bytes().length))
                .orElseThrow();
    }
}
