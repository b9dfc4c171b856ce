package dev.voicebridge.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The offered Opus payload (RFC 7587 section 6.1): {@code a=rtpmap:<pt> opus/48000/2} and its
 * {@code a=fmtp} parameters. The fmtp values describe what the <em>offerer</em> wants to receive,
 * so {@link #maxAverageBitrate()} caps our encoder.
 *
 * @param parameters every fmtp parameter as written, lower-cased names, in order
 */
public record OpusFormat(int payloadType, Map<String, String> parameters) {
    public OpusFormat {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Peak average bitrate the offerer wants to receive, bits/s (6000..510000 when present). */
    public Optional<Integer> maxAverageBitrate() {
        return intParam("maxaveragebitrate");
    }

    /** Highest sample rate the offerer can play out; WhatsApp says 16000. */
    public Optional<Integer> maxPlaybackRate() {
        return intParam("maxplaybackrate");
    }

    public Optional<Integer> minPtime() {
        return intParam("minptime");
    }

    /** The offerer decodes in-band FEC, so our FEC frames are worth their bits. */
    public boolean useInbandFec() {
        return "1".equals(parameters.get("useinbandfec"));
    }

    public boolean useDtx() {
        return "1".equals(parameters.get("usedtx"));
    }

    public boolean stereo() {
        return "1".equals(parameters.get("stereo"));
    }

    private Optional<Integer> intParam(String name) {
        String v = parameters.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
