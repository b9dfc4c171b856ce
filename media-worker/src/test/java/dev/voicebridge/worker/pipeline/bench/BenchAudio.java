package dev.voicebridge.worker.pipeline.bench;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import dev.voicebridge.testkit.audio.Signals;
import java.util.Arrays;

/** Five seconds of speech-like audio, as PCM frames and as the Opus packets WhatsApp would send. */
final class BenchAudio {
    static final int FRAMES = 250;
    static final short[][] PCM = new short[FRAMES][];
    static final byte[][] OPUS = new byte[FRAMES][];
    /** What WhatsApp asks for: 20 kb/s, FEC. */
    static final OpusEncoderSettings WHATSAPP = new OpusEncoderSettings(20_000, true, 10, -1);

    static {
        short[] speech = Signals.speechLike(7, FRAMES * 20);
        byte[] buf = new byte[OpusEncoder.MAX_PACKET_BYTES];
        try (OpusEncoder enc = OpusCodecs.encoder(WHATSAPP)) {
            for (int i = 0; i < FRAMES; i++) {
                PCM[i] = Arrays.copyOfRange(speech, i * 480, (i + 1) * 480);
                OPUS[i] = Arrays.copyOf(buf, enc.encode(PCM[i], buf, 0));
            }
        }
    }

    private BenchAudio() {}

    /** An RTP datagram carrying frame {@code n} (seq/timestamp advance like a live stream). */
    static int rtp(byte[] out, long n) {
        return rtp(out, OPUS[(int) (n % FRAMES)], n, 0x3E6B1C5BL);
    }

    /** An RTP datagram of {@code payload} as packet {@code n} of stream {@code ssrc} (PT 111, 20 ms). */
    static int rtp(byte[] out, byte[] payload, long n, long ssrc) {
        int seq = (int) (n & 0xFFFF);
        long ts = (n * 960) & 0xFFFF_FFFFL;
        out[0] = (byte) 0x80;
        out[1] = 111;
        out[2] = (byte) (seq >>> 8);
        out[3] = (byte) seq;
        out[4] = (byte) (ts >>> 24);
        out[5] = (byte) (ts >>> 16);
        out[6] = (byte) (ts >>> 8);
        out[7] = (byte) ts;
        out[8] = (byte) (ssrc >>> 24);
        out[9] = (byte) (ssrc >>> 16);
        out[10] = (byte) (ssrc >>> 8);
        out[11] = (byte) ssrc;
        System.arraycopy(payload, 0, out, 12, payload.length);
        return 12 + payload.length;
    }
}
