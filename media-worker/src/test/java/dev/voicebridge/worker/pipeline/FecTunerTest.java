package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.media.codec.OpusEncoderSettings;
import org.junit.jupiter.api.Test;

class FecTunerTest {
    /** Records what the tuner sets; encodes nothing. */
    static final class RecordingEncoder implements OpusEncoder {
        OpusEncoderSettings settings;
        int retunes;

        RecordingEncoder(boolean fec) {
            settings = new OpusEncoderSettings(20_000, fec, fec ? 10 : 0, 1, 16_000);
        }

        @Override
        public int encode(short[] pcm, byte[] out, int offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int encodeSilence(byte[] out, int offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void retune(int expectedLossPercent, int complexity) {
            settings = settings.withExpectedLossPercent(expectedLossPercent).withComplexity(complexity);
            retunes++;
        }

        @Override
        public void cap(int bitrate, int maxPlaybackRate) {
            settings = settings.withCaps(bitrate, maxPlaybackRate);
        }

        @Override
        public OpusEncoderSettings settings() {
            return settings;
        }

        @Override
        public void close() {}
    }

    private static int fraction(double percent) {
        return (int) Math.round(percent * 256 / 100);
    }

    @Test
    void startsAtTheInitialBudgetWithTheFecComplexity() {
        var enc = new RecordingEncoder(true);
        var tuner = new FecTuner(enc, 10, 0, 1, 2);
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(10);
        assertThat(enc.settings.complexity()).isEqualTo(2);
        assertThat(tuner.budgetPercent()).isEqualTo(10);
    }

    @Test
    void theFirstReportReplacesTheInitialGuess() {
        var enc = new RecordingEncoder(true);
        var tuner = new FecTuner(enc, 10, 0, 1, 2);
        tuner.onPeerReport(0);
        assertThat(enc.settings.expectedLossPercent()).isZero();
        assertThat(enc.settings.complexity()).isEqualTo(1);
        assertThat(tuner.reports()).isEqualTo(1);
    }

    @Test
    void laterCleanReportsLowerTheBudgetGraduallyThenDropFecAndItsComplexity() {
        var enc = new RecordingEncoder(true);
        var tuner = new FecTuner(enc, 0, 0, 1, 2);
        tuner.onPeerReport(fraction(12));
        tuner.onPeerReport(0); // 12 → 8.5: one clean interval keeps FEC
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(8);
        assertThat(enc.settings.complexity()).isEqualTo(2);
        tuner.onPeerReport(0); // → 5.9: still coded
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(6);
        assertThat(enc.settings.complexity()).isEqualTo(2);
        tuner.onPeerReport(0); // → 4.2: below libopus's FEC threshold at 20 kb/s
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(4);
        assertThat(enc.settings.complexity()).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            tuner.onPeerReport(0);
        }
        assertThat(enc.settings.expectedLossPercent()).isZero();
        assertThat(tuner.reports()).isEqualTo(24);
    }

    @Test
    void reportedLossRaisesTheBudgetAtOnce() {
        var enc = new RecordingEncoder(true);
        var tuner = new FecTuner(enc, 0, 0, 1, 2);
        assertThat(enc.settings.complexity()).isEqualTo(1);
        tuner.onPeerReport(fraction(12));
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(12);
        assertThat(enc.settings.complexity()).isEqualTo(2);
        tuner.onPeerReport(255); // everything lost: clamped, LBRR cannot repair that anyway
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(FecTuner.MAX_LOSS_PERCENT);
        tuner.onPeerReport(fraction(3)); // 20 → 14.9
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(15);
    }

    @Test
    void theFloorKeepsFecCodedWhateverThePeerReports() {
        var enc = new RecordingEncoder(true);
        var tuner = new FecTuner(enc, 10, 6, 1, 3);
        for (int i = 0; i < 30; i++) {
            tuner.onPeerReport(0);
        }
        assertThat(enc.settings.expectedLossPercent()).isEqualTo(6);
        assertThat(enc.settings.complexity()).isEqualTo(3);
    }

    @Test
    void aPeerThatDecodesNoFecGetsNoBudgetAndTheCheapComplexity() {
        var enc = new RecordingEncoder(false);
        var tuner = new FecTuner(enc, 10, 0, 1, 2);
        tuner.onPeerReport(fraction(15));
        assertThat(enc.settings.expectedLossPercent()).isZero();
        assertThat(enc.settings.complexity()).isEqualTo(1);
        assertThat(tuner.budgetPercent()).isZero();
    }
}
