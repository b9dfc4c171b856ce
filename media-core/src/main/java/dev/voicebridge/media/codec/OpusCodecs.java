package dev.voicebridge.media.codec;

/**
 * Creates the codecs. The only door to libjitsi's Opus JNI: nothing else in voicebridge names it,
 * so swapping the binding touches this package alone.
 */
public final class OpusCodecs {
    /**
     * An Opus payload of at most this many bytes is the encoder's quiet: libopus without DTX codes
     * a silent 20 ms frame in 8 bytes at 20 kbit/s wideband and 17 at 32 kbit/s super-wideband; a
     * voiced one takes 35 bytes or more. Who only needs to know whether a packet carries speech
     * (the relay trimming held quiet, a fake service's ear) can tell without decoding.
     */
    public static final int QUIET_PAYLOAD_BYTES = 20;

    private OpusCodecs() {}

    /** A 24 kHz mono decoder. */
    public static OpusDecoder decoder() {
        return new JitsiOpusDecoder();
    }

    public static OpusEncoder encoder(OpusEncoderSettings settings) {
        return new JitsiOpusEncoder(settings);
    }
}
