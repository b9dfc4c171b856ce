package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import dev.voicebridge.testkit.audio.PcmSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loop of Opus packets encoded once and replayed by any number of load phones, so a phone's send
 * path costs an SRTP protect and a datagram, not an encoder: a hundred phones encoding live would
 * take most of a core from the worker they load. Each 20 ms packet knows whether it carries speech
 * and whether it starts a talk spurt (the RTP marker, RFC 3551 4.1).
 */
public final class EncodedAudio {
    /**
     * How a WhatsApp client encodes what it sends: 20 kb/s with in-band FEC, and at most wideband
     * audio. Its offer states {@code sprop-maxcapturerate=16000} (RFC 7587 section 6.1: it captures
     * at most 16 kHz), so its stream holds nothing above 8 kHz and libopus codes it as SILK
     * wideband; an uncapped 24 kHz encoder would send hybrid super-wideband (SILK plus CELT), which
     * costs the receiver's decoder more than any WhatsApp caller does.
     */
    public static final OpusEncoderSettings WHATSAPP_SEND = new OpusEncoderSettings(20_000, true, 5, -1, 16_000);

    private final List<byte[]> packets;
    private final boolean[] speech;

    private EncodedAudio(List<byte[]> packets, boolean[] speech) {
        this.packets = List.copyOf(packets);
        this.speech = speech;
    }

    /**
     * Encodes {@code pcm} (24 kHz mono, cut into 20 ms frames) as WhatsApp sends it ({@link
     * #WHATSAPP_SEND}). A frame is speech when its RMS exceeds {@code speechRms}.
     */
    public static EncodedAudio encode(short[] pcm, double speechRms) {
        int frames = pcm.length / PcmSource.FRAME_SAMPLES;
        var packets = new ArrayList<byte[]>(frames);
        var speech = new boolean[frames];
        byte[] out = new byte[OpusEncoder.MAX_PACKET_BYTES];
        try (OpusEncoder encoder = OpusCodecs.encoder(WHATSAPP_SEND)) {
            for (int f = 0; f < frames; f++) {
                short[] frame = Arrays.copyOfRange(pcm, f * PcmSource.FRAME_SAMPLES, (f + 1) * PcmSource.FRAME_SAMPLES);
                packets.add(Arrays.copyOf(out, encoder.encode(frame, out, 0)));
                double sum = 0;
                for (short s : frame) {
                    sum += (double) s * s;
                }
                speech[f] = Math.sqrt(sum / frame.length) > speechRms;
            }
        }
        return new EncodedAudio(packets, speech);
    }

    /** Frames in the loop. */
    public int frames() {
        return packets.size();
    }

    /** The payload of frame {@code n} of an endless loop (shared: read it, do not change it). */
    public byte[] packet(long n) {
        return packets.get(index(n));
    }

    /** Frame {@code n} carries speech and the one before did not: a talk spurt starts. */
    boolean onset(long n) {
        int i = index(n);
        return speech[i] && !speech[index(n - 1 + frames())];
    }

    private int index(long n) {
        return (int) Math.floorMod(n, (long) packets.size());
    }
}
