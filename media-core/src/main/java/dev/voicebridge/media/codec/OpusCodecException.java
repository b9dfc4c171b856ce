package dev.voicebridge.media.codec;

/** The native codec could not be created or configured (not thrown for bad packets). */
public final class OpusCodecException extends RuntimeException {
    public OpusCodecException(String message) {
        super(message);
    }
}
