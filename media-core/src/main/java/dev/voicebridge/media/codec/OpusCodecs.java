package dev.voicebridge.media.codec;

/**
 * Creates the codecs. The only door to libjitsi's Opus JNI: nothing else in voicebridge names it,
 * so swapping the binding touches this package alone.
 */
public final class OpusCodecs {
    private OpusCodecs() {}

    /** A 24 kHz mono decoder. */
    public static OpusDecoder decoder() {
        return new JitsiOpusDecoder();
    }

    public static OpusEncoder encoder(OpusEncoderSettings settings) {
        return new JitsiOpusEncoder(settings);
    }
}
