package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.sdp.AudioMedia;
import dev.voicebridge.media.sdp.SdpOffer;
import java.util.Optional;

/**
 * What the pipeline needs from the negotiated SDP: payload types and the peer's Opus wishes.
 *
 * @param opusPayloadType the offer's Opus PT (WhatsApp 111), used in both directions
 * @param dtmfPayloadType the telephone-event PT when offered (WhatsApp 126)
 * @param maxAverageBitrate the peer's {@code maxaveragebitrate}, caps our encoder
 * @param peerDecodesFec the peer said {@code useinbandfec=1}, so our FEC bits are useful
 * @param maxPlaybackRate the peer's {@code maxplaybackrate} (WhatsApp 16000), caps the audio
 *     bandwidth we code
 */
public record PeerMedia(
        int opusPayloadType,
        Optional<Integer> dtmfPayloadType,
        Optional<Integer> maxAverageBitrate,
        boolean peerDecodesFec,
        Optional<Integer> maxPlaybackRate) {
    /** A peer that states no {@code maxplaybackrate}. */
    public PeerMedia(
            int opusPayloadType,
            Optional<Integer> dtmfPayloadType,
            Optional<Integer> maxAverageBitrate,
            boolean peerDecodesFec) {
        this(opusPayloadType, dtmfPayloadType, maxAverageBitrate, peerDecodesFec, Optional.empty());
    }

    /**
     * A business-initiated call's peer: the payload types of our offer (Opus 111, telephone-event
     * 126), which the answer keeps; no caps until the peer states any.
     */
    public static final PeerMedia OFFERED = new PeerMedia(
            dev.voicebridge.media.sdp.SdpOfferBuilder.OPUS_PT,
            Optional.of(dev.voicebridge.media.sdp.SdpOfferBuilder.DTMF_PT),
            Optional.empty(),
            true,
            Optional.empty());

    public static PeerMedia from(SdpOffer offer) {
        AudioMedia a = offer.audio();
        return new PeerMedia(
                a.opus().payloadType(),
                a.telephoneEvent().map(t -> t.payloadType()),
                a.opus().maxAverageBitrate(),
                a.opus().useInbandFec(),
                a.opus().maxPlaybackRate());
    }
}
