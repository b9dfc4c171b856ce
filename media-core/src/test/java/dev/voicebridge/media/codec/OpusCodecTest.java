package dev.voicebridge.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpusCodecTest {
    private static final int RATE = 24_000;
    private static final int FRAME = 480;

    @Test
    void settingsRespectThePeersMaxAverageBitrate() {
        var whatsapp = OpusEncoderSettings.forPeer(32_000, Optional.of(20_000), true, 10);
        assertThat(whatsapp.bitrate()).isEqualTo(20_000);
        assertThat(whatsapp.inbandFec()).isTrue();
        assertThat(OpusEncoderSettings.forPeer(32_000, Optional.empty(), false, 10)
                        .bitrate())
                .isEqualTo(32_000);
        assertThat(OpusEncoderSettings.forPeer(32_000, Optional.of(1000), true, 10)
                        .bitrate())
                .isEqualTo(6_000);
        assertThat(whatsapp.maxPlaybackRate()).isEqualTo(48_000);
        var withPlayback = OpusEncoderSettings.forPeer(32_000, Optional.of(20_000), Optional.of(16_000), true, 10);
        assertThat(withPlayback).isEqualTo(new OpusEncoderSettings(20_000, true, 10, -1, 16_000));
        assertThat(OpusEncoderSettings.forPeer(32_000, Optional.empty(), Optional.of(96_000), false, 10))
                .isEqualTo(new OpusEncoderSettings(32_000, false, 0, -1, 48_000));
        assertThatThrownBy(() -> new OpusEncoderSettings(20_000, true, 10, 5, 4_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aToneThroughEncodeAndDecodeKeepsItsFrequency() {
        short[] tone = AudioSignals.sine(1000, 0.5, RATE * 2, RATE);
        short[] out = roundTrip(tone, OpusEncoderSettings.forPeer(32_000, Optional.of(20_000), true, 10), -1);

        double freq = AudioSignals.dominantFrequency(out, RATE / 2, RATE, RATE);
        assertThat(freq).isBetween(995.0, 1005.0);
        var alignment = AudioSignals.align(tone, out, 1200);
        assertThat(alignment.correlation()).isGreaterThan(0.9);
        assertThat(AudioSignals.rms(out, RATE / 2, RATE) / AudioSignals.rms(tone, RATE / 2, RATE))
                .isBetween(0.7, 1.3);
    }

    /** The encoder settings before the CPU work: complexity 5, a fixed 10 % FEC budget, no bandwidth cap. */
    private static final OpusEncoderSettings OLD_DEFAULT = new OpusEncoderSettings(20_000, true, 10, 5);
    /** The peer reports (almost) no loss: the cheap complexity, no FEC budget, WhatsApp's 16 kHz playback. */
    private static final OpusEncoderSettings CLEAN = new OpusEncoderSettings(20_000, true, 0, 1, 16_000);
    /** The peer reports loss: the FEC complexity and budget. */
    private static final OpusEncoderSettings LOSSY = new OpusEncoderSettings(20_000, true, 10, 2, 16_000);

    @Test
    void withoutReportedLossTheCheapSettingIsAtLeastAsFaithfulAsTheOldDefault() {
        short[] speech = AudioSignals.speech(11, RATE * 8, RATE);
        Fidelity old = fidelity(speech, OLD_DEFAULT);
        Fidelity clean = fidelity(speech, CLEAN);
        System.out.printf("speech at 20 kb/s: old default %s; clean-network setting %s%n", old, clean);
        // Measured: old 0.567 / 12.3 dB (it codes medium band to make room for LBRR), clean 0.668 / 4.5 dB.
        // Fricatives are noise, which no codec at 20 kb/s reproduces sample for sample: every setting
        // measures 0.56–0.67 here, hence an absolute floor of 0.5 next to the comparison.
        assertThat(clean.correlation()).isGreaterThan(0.5).isGreaterThan(old.correlation() - 0.02);
        assertThat(clean.spectralDistanceDb()).isLessThan(old.spectralDistanceDb() + 0.5);
    }

    @Test
    void withReportedLossTheFecSettingKeepsTheOldFidelityAndRecovery() {
        short[] speech = AudioSignals.speech(12, RATE * 12, RATE);
        Fidelity old = fidelity(speech, OLD_DEFAULT);
        Fidelity lossy = fidelity(speech, LOSSY);
        Recovery oldRecovery = recovery(speech, OLD_DEFAULT);
        Recovery lossyRecovery = recovery(speech, LOSSY);
        System.out.printf(
                "speech at 20 kb/s: old default %s, %s; loss setting %s, %s%n", old, oldRecovery, lossy, lossyRecovery);
        assertThat(lossy.correlation()).isGreaterThan(0.5).isGreaterThan(old.correlation() - 0.02);
        assertThat(lossy.spectralDistanceDb()).isLessThan(old.spectralDistanceDb() + 1.0);
        // Measured: old 0.621 / 10.3 dB, FEC 0.727 vs PLC 0.382; loss setting 0.627 / 10.3 dB, FEC 0.747 vs PLC 0.389.
        assertThat(lossyRecovery.fec()).isGreaterThan(oldRecovery.fec() - 0.05);
        assertThat(lossyRecovery.fec()).isGreaterThan(lossyRecovery.plc() + 0.2);
    }

    @Test
    void belowComplexityTwoLibopusCodesNoFecAtTwentyKilobits() {
        // Why MediaConfig refuses an FEC complexity below 2: the encoder's rate model then finds no
        // room for LBRR at 20 kb/s, so "FEC on" would silently mean PLC only.
        short[] speech = AudioSignals.speech(13, RATE * 12, RATE);
        Recovery r = recovery(speech, new OpusEncoderSettings(20_000, true, 10, 1, 16_000));
        System.out.printf("complexity 1 at 10 %% loss budget: %s%n", r);
        assertThat(Math.abs(r.fec() - r.plc())).isLessThan(0.01);
    }

    @Test
    void thePeersMaxPlaybackRateCapsTheCodedBandwidth() {
        short[] speech = AudioSignals.speech(14, RATE * 2, RATE);
        var unlimited = new OpusEncoderSettings(20_000, true, 0, 5);
        // RFC 6716 3.1: TOC configurations 12..15 and 24..31 code more than wideband.
        assertThat(maxTocConfig(encodeAll(speech, unlimited))).isGreaterThan(11);
        var capped = new OpusEncoderSettings(20_000, true, 0, 5, 16_000);
        assertThat(maxTocConfig(encodeAll(speech, capped))).isLessThanOrEqualTo(11);
    }

    @Test
    void retuningChangesLossBudgetAndComplexityMidStream() {
        short[] speech = AudioSignals.speech(15, RATE * 2, RATE);
        try (OpusEncoder enc = OpusCodecs.encoder(CLEAN);
                OpusDecoder dec = OpusCodecs.decoder()) {
            byte[] buf = new byte[OpusEncoder.MAX_PACKET_BYTES];
            short[] frame = new short[FRAME];
            short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
            for (int f = 0; f < speech.length / FRAME; f++) {
                if (f == 50) {
                    enc.retune(10, 2);
                }
                System.arraycopy(speech, f * FRAME, frame, 0, FRAME);
                int len = enc.encode(frame, buf, 0);
                assertThat(dec.decode(buf, 0, len, pcm)).isEqualTo(FRAME);
            }
            assertThat(enc.settings()).isEqualTo(LOSSY);
            enc.retune(0, -1);
            assertThat(enc.settings().complexity()).isEqualTo(-1);
            assertThat(enc.encode(frame, buf, 0)).isPositive();
        }
    }

    @Test
    void silenceFramesAreTinyAndDecodeToNearSilence() {
        try (OpusEncoder enc = OpusCodecs.encoder(new OpusEncoderSettings(20_000, true, 10, -1));
                OpusDecoder dec = OpusCodecs.decoder()) {
            byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
            short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
            int maxLen = 0;
            for (int i = 0; i < 50; i++) {
                int len = enc.encodeSilence(packet, 0);
                maxLen = Math.max(maxLen, len);
                assertThat(dec.decode(packet, 0, len, pcm)).isEqualTo(FRAME);
            }
            // Measured: at most 35 bytes (the first frames carry LBRR); a 20 kb/s voice frame is ~50.
            assertThat(maxLen).isLessThan(40);
            assertThat(AudioSignals.rms(pcm, 0, FRAME)).isLessThan(5);
        }
    }

    @Test
    void fecRecoversASingleLostPacketBetterThanConcealment() {
        short[] speech = AudioSignals.speechLike(RATE * 4, RATE);
        var settings = new OpusEncoderSettings(32_000, true, 20, -1);
        byte[][] packets = encodeAll(speech, settings);

        short[] lossless = decodeAll(packets, -1, false);
        short[] withFec = decodeAll(packets, 7, true);
        short[] withPlc = decodeAll(packets, 7, false);

        double fec = 0;
        double plc = 0;
        int lost = 0;
        for (int i = 10; i < packets.length - 1; i++) {
            if (i % 7 == 0) {
                fec += AudioSignals.correlation(lossless, i * FRAME, withFec, i * FRAME, FRAME);
                plc += AudioSignals.correlation(lossless, i * FRAME, withPlc, i * FRAME, FRAME);
                lost++;
            }
        }
        fec /= lost;
        plc /= lost;
        System.out.printf("lost frames=%d mean correlation with lossless decode: FEC %.3f, PLC %.3f%n", lost, fec, plc);
        // Measured here: FEC 0.81, PLC 0.40 over 27 single losses.
        assertThat(fec).isGreaterThan(0.7);
        assertThat(fec).isGreaterThan(plc + 0.2);
    }

    @Test
    void corruptPacketsReturnAnErrorNotACrash() {
        try (OpusDecoder dec = OpusCodecs.decoder()) {
            short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
            assertThat(dec.decode(new byte[0], 0, 0, pcm)).isNegative();
            // TOC code 3 with a frame count of 0 is invalid (RFC 6716 3.2.5).
            assertThat(dec.decode(new byte[] {(byte) 0x03, 0x00}, 0, 2, pcm)).isNegative();
            assertThat(dec.conceal(pcm, FRAME)).isEqualTo(FRAME);
        }
    }

    @Test
    void closedCodecsRefuseWorkInsteadOfTouchingFreedMemory() {
        OpusDecoder dec = OpusCodecs.decoder();
        dec.close();
        dec.close();
        assertThatThrownBy(() -> dec.conceal(new short[FRAME], FRAME)).isInstanceOf(IllegalStateException.class);
        OpusEncoder enc = OpusCodecs.encoder(new OpusEncoderSettings(20_000, true, 10, -1));
        enc.close();
        assertThatThrownBy(() -> enc.encodeSilence(new byte[1500], 0)).isInstanceOf(IllegalStateException.class);
    }

    /** Correlation after alignment, and log-spectral distance over 50 Hz..8 kHz of the active frames. */
    record Fidelity(double correlation, double spectralDistanceDb) {
        @Override
        public String toString() {
            return String.format("correlation %.3f, LSD %.1f dB", correlation, spectralDistanceDb);
        }
    }

    /** Mean correlation, over lost frames, of FEC and of PLC with the lossless decode. */
    record Recovery(int lost, double fec, double plc) {
        @Override
        public String toString() {
            return String.format("%d single losses: FEC %.3f, PLC %.3f", lost, fec, plc);
        }
    }

    private static Fidelity fidelity(short[] speech, OpusEncoderSettings settings) {
        short[] out = decodeAll(encodeAll(speech, settings), new boolean[speech.length / FRAME], false);
        var alignment = AudioSignals.align(speech, out, 1200);
        double lsd = AudioSignals.spectralDistance(
                speech, out, alignment.lag(), AudioSignals.activeFrames(speech, FRAME), FRAME, 50, 8000, RATE);
        return new Fidelity(alignment.correlation(), lsd);
    }

    /** About 10 % random single losses (never two in a row), at the same frames for every setting. */
    private static Recovery recovery(short[] speech, OpusEncoderSettings settings) {
        byte[][] packets = encodeAll(speech, settings);
        boolean[] lost = new boolean[packets.length];
        var random = new java.util.Random(42);
        for (int i = 10; i < packets.length - 1; i++) {
            lost[i] = !lost[i - 1] && random.nextDouble() < 0.1;
        }
        short[] lossless = decodeAll(packets, new boolean[packets.length], false);
        short[] withFec = decodeAll(packets, lost, true);
        short[] withPlc = decodeAll(packets, lost, false);
        double fec = 0;
        double plc = 0;
        int n = 0;
        for (int i = 0; i < packets.length; i++) {
            if (lost[i] && AudioSignals.rms(lossless, i * FRAME, FRAME) > 300) {
                fec += AudioSignals.correlation(lossless, i * FRAME, withFec, i * FRAME, FRAME);
                plc += AudioSignals.correlation(lossless, i * FRAME, withPlc, i * FRAME, FRAME);
                n++;
            }
        }
        return new Recovery(n, fec / n, plc / n);
    }

    private static int maxTocConfig(byte[][] packets) {
        int max = 0;
        for (byte[] p : packets) {
            max = Math.max(max, (p[0] & 0xFF) >>> 3);
        }
        return max;
    }

    private static byte[][] encodeAll(short[] pcm, OpusEncoderSettings settings) {
        int frames = pcm.length / FRAME;
        byte[][] packets = new byte[frames][];
        try (OpusEncoder enc = OpusCodecs.encoder(settings)) {
            short[] frame = new short[FRAME];
            byte[] buf = new byte[OpusEncoder.MAX_PACKET_BYTES];
            for (int f = 0; f < frames; f++) {
                System.arraycopy(pcm, f * FRAME, frame, 0, FRAME);
                int len = enc.encode(frame, buf, 0);
                packets[f] = Arrays.copyOf(buf, len);
            }
        }
        return packets;
    }

    /** Decodes all packets, dropping every {@code lossEvery}-th (after the first 10) and filling it by FEC or PLC. */
    private static short[] decodeAll(byte[][] packets, int lossEvery, boolean fec) {
        boolean[] lost = new boolean[packets.length];
        for (int i = 10; lossEvery > 0 && i < packets.length - 1; i++) {
            lost[i] = i % lossEvery == 0;
        }
        return decodeAll(packets, lost, fec);
    }

    /** Decodes all packets, the {@code lost} ones filled by FEC from their successor or by PLC. */
    private static short[] decodeAll(byte[][] packets, boolean[] lost, boolean fec) {
        short[] out = new short[packets.length * FRAME];
        try (OpusDecoder dec = OpusCodecs.decoder()) {
            short[] pcm = new short[OpusDecoder.MAX_FRAME_SAMPLES];
            for (int i = 0; i < packets.length; i++) {
                int n;
                if (!lost[i]) {
                    n = dec.decode(packets[i], 0, packets[i].length, pcm);
                } else if (fec) {
                    n = dec.decodeFec(packets[i + 1], 0, packets[i + 1].length, pcm, FRAME);
                } else {
                    n = dec.conceal(pcm, FRAME);
                }
                assertThat(n).isEqualTo(FRAME);
                System.arraycopy(pcm, 0, out, i * FRAME, FRAME);
            }
        }
        return out;
    }

    private static short[] roundTrip(short[] pcm, OpusEncoderSettings settings, int lossEvery) {
        return decodeAll(encodeAll(pcm, settings), lossEvery, false);
    }
}
