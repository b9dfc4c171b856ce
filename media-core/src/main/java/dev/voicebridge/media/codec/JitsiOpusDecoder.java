package dev.voicebridge.media.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.jitsi.impl.neomedia.codec.audio.opus.Opus;

/**
 * libjitsi's JNI takes and returns PCM as a byte array in native (little-endian on every platform
 * it ships for) order, so one scratch array is reused and converted with one bulk copy through a
 * little-endian view (a memory copy where that is the native order); no allocation per frame.
 */
final class JitsiOpusDecoder implements OpusDecoder {
    private final byte[] pcmBytes = new byte[MAX_FRAME_SAMPLES * 2];
    private final ShortBuffer pcmView =
            ByteBuffer.wrap(pcmBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    private long handle;

    JitsiOpusDecoder() {
        handle = Opus.decoder_create(SAMPLE_RATE, 1);
        if (handle == 0) {
            throw new OpusCodecException("opus_decoder_create failed");
        }
    }

    @Override
    public int decode(byte[] packet, int offset, int length, short[] pcm) {
        if (length <= 0) {
            return Opus.INVALID_PACKET;
        }
        return run(packet, offset, length, pcm, Math.min(pcm.length, MAX_FRAME_SAMPLES), 0);
    }

    @Override
    public int decodeFec(byte[] nextPacket, int offset, int length, short[] pcm, int frameSamples) {
        if (length <= 0) {
            return conceal(pcm, frameSamples);
        }
        return run(nextPacket, offset, length, pcm, frameSamples, 1);
    }

    @Override
    public int conceal(short[] pcm, int frameSamples) {
        return run(null, 0, 0, pcm, frameSamples, 0);
    }

    private int run(byte[] in, int offset, int length, short[] pcm, int frameSamples, int fec) {
        ensureOpen();
        if (frameSamples > pcm.length || frameSamples > MAX_FRAME_SAMPLES) {
            throw new IllegalArgumentException("pcm buffer too small for " + frameSamples + " samples");
        }
        int n = Opus.decode(handle, in, offset, length, pcmBytes, 0, frameSamples, fec);
        if (n > 0) {
            pcmView.get(0, pcm, 0, n);
        }
        return n;
    }

    private void ensureOpen() {
        if (handle == 0) {
            throw new IllegalStateException("decoder closed");
        }
    }

    @Override
    public void close() {
        if (handle != 0) {
            Opus.decoder_destroy(handle);
            handle = 0;
        }
    }
}
