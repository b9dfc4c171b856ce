package dev.voicebridge.media.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.jitsi.impl.neomedia.codec.audio.opus.Opus;

/**
 * libjitsi's {@code encoder_create} uses OPUS_APPLICATION_VOIP, which is what we want. Its JNI
 * takes PCM as little-endian bytes: one bulk copy through a view converts (see {@link
 * JitsiOpusDecoder}).
 */
final class JitsiOpusEncoder implements OpusEncoder {
    private OpusEncoderSettings settings;
    private final byte[] pcmBytes = new byte[FRAME_SAMPLES * 2];
    private final ShortBuffer pcmView =
            ByteBuffer.wrap(pcmBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    private final byte[] silence = new byte[FRAME_SAMPLES * 2];
    private long handle;

    JitsiOpusEncoder(OpusEncoderSettings settings) {
        this.settings = settings;
        handle = Opus.encoder_create(SAMPLE_RATE, 1);
        if (handle == 0) {
            throw new OpusCodecException("opus_encoder_create failed");
        }
        try {
            check(Opus.encoder_set_bitrate(handle, settings.bitrate()), "bitrate");
            check(Opus.encoder_set_inband_fec(handle, settings.inbandFec() ? 1 : 0), "inband_fec");
            check(Opus.encoder_set_packet_loss_perc(handle, settings.expectedLossPercent()), "packet_loss_perc");
            check(Opus.encoder_set_force_channels(handle, 1), "force_channels");
            check(Opus.encoder_set_dtx(handle, 0), "dtx"); // docs/protocols.md: media must never pause
            check(Opus.encoder_set_max_bandwidth(handle, maxBandwidth(settings.maxPlaybackRate())), "max_bandwidth");
            if (settings.complexity() >= 0) {
                check(Opus.encoder_set_complexity(handle, settings.complexity()), "complexity");
            }
        } catch (OpusCodecException e) {
            close();
            throw e;
        }
    }

    /**
     * The widest Opus bandwidth whose audio (RFC 6716 2: NB 4, MB 6, WB 8, SWB 12 kHz) the peer
     * plays back at {@code maxplaybackrate}; coding more only spends bits and CPU on audio the
     * peer's decoder resamples away (RFC 7587 6.1). From 24 kHz input, SWB is the most anyway.
     */
    static int maxBandwidth(int maxPlaybackRate) {
        if (maxPlaybackRate >= 24_000) {
            return Opus.BANDWIDTH_SUPERWIDEBAND;
        } else if (maxPlaybackRate >= 16_000) {
            return Opus.BANDWIDTH_WIDEBAND;
        } else if (maxPlaybackRate >= 12_000) {
            return Opus.BANDWIDTH_MEDIUMBAND;
        }
        return Opus.BANDWIDTH_NARROWBAND;
    }

    private static void check(int rc, String what) {
        if (rc != Opus.OPUS_OK) {
            throw new OpusCodecException("opus encoder ctl " + what + " failed: " + rc);
        }
    }

    @Override
    public int encode(short[] pcm, byte[] out, int offset) {
        ensureOpen();
        if (pcm.length < FRAME_SAMPLES) {
            throw new IllegalArgumentException("need " + FRAME_SAMPLES + " samples");
        }
        pcmView.put(0, pcm, 0, FRAME_SAMPLES);
        return run(pcmBytes, out, offset);
    }

    @Override
    public int encodeSilence(byte[] out, int offset) {
        ensureOpen();
        return run(silence, out, offset);
    }

    private int run(byte[] in, byte[] out, int offset) {
        int n = Opus.encode(handle, in, 0, FRAME_SAMPLES, out, offset, Math.min(MAX_PACKET_BYTES, out.length - offset));
        if (n < 0) {
            // Only a programming error (buffer, state) makes libopus fail on valid PCM.
            throw new OpusCodecException("opus_encode failed: " + n);
        }
        return n;
    }

    private void ensureOpen() {
        if (handle == 0) {
            throw new IllegalStateException("encoder closed");
        }
    }

    @Override
    public void retune(int expectedLossPercent, int complexity) {
        ensureOpen();
        OpusEncoderSettings next =
                settings.withExpectedLossPercent(expectedLossPercent).withComplexity(complexity);
        if (next.expectedLossPercent() != settings.expectedLossPercent()) {
            check(Opus.encoder_set_packet_loss_perc(handle, next.expectedLossPercent()), "packet_loss_perc");
        }
        if (next.complexity() != settings.complexity()) {
            // -1 asks for libopus's default, which OPUS_SET_COMPLEXITY does not accept.
            check(Opus.encoder_set_complexity(handle, next.complexity() < 0 ? 9 : next.complexity()), "complexity");
        }
        settings = next;
    }

    @Override
    public void cap(int bitrate, int maxPlaybackRate) {
        ensureOpen();
        OpusEncoderSettings next = settings.withCaps(bitrate, maxPlaybackRate);
        if (next.bitrate() != settings.bitrate()) {
            check(Opus.encoder_set_bitrate(handle, next.bitrate()), "bitrate");
        }
        if (next.maxPlaybackRate() != settings.maxPlaybackRate()) {
            check(Opus.encoder_set_max_bandwidth(handle, maxBandwidth(next.maxPlaybackRate())), "max_bandwidth");
        }
        settings = next;
    }

    @Override
    public OpusEncoderSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (handle != 0) {
            Opus.encoder_destroy(handle);
            handle = 0;
        }
    }
}
