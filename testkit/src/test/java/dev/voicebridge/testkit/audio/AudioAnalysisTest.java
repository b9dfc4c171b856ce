package dev.voicebridge.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioAnalysisTest {
    @Test
    void goertzelFindsTheToneAmongCandidates() {
        short[] tone = Signals.tone(1100, 0.3, 1000);
        var d = AudioAnalysis.dominant(tone, 0, tone.length, 24_000, 700, 1000, 1100, 1200);
        assertThat(d.hz()).isEqualTo(1100);
        assertThat(d.share()).isGreaterThan(0.95);
        assertThat(AudioAnalysis.rms(tone, 0, tone.length))
                .isCloseTo(0.3 / Math.sqrt(2), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void toneFramesCountOnlyTheFramesTheToneDominates() {
        short[] pcm = Signals.concat(Signals.tone(660, 0.25, 300), Signals.silence(200), Signals.tone(440, 0.25, 100));
        assertThat(AudioAnalysis.toneFrames(pcm, 660)).isEqualTo(15);
        assertThat(AudioAnalysis.toneFrames(pcm, 440)).isEqualTo(5);
        assertThat(AudioAnalysis.toneShare(pcm, 0, 480, 660)).isGreaterThan(0.95);
        assertThat(AudioAnalysis.toneShare(pcm, 0, 480, 440)).isLessThan(0.05);
    }

    @Test
    void alignmentFindsADelayedCopyAndRejectsUnrelatedAudio() {
        short[] speech = Signals.speechLike(1, 3000);
        short[] delayed = new short[speech.length + 4_000];
        System.arraycopy(speech, 0, delayed, 2_437, speech.length);
        var a = AudioAnalysis.align(speech, delayed, 6_000);
        assertThat(a.lagSamples()).isEqualTo(2_437);
        assertThat(a.correlation()).isGreaterThan(0.99);

        short[] other = Signals.speechLike(2, 3000);
        assertThat(AudioAnalysis.align(speech, other, 6_000).correlation()).isLessThan(0.3);

        var windows = AudioAnalysis.alignWindows(speech, delayed, 24_000, 6_000);
        assertThat(windows).hasSize(3).allSatisfy(w -> assertThat(w.lagSamples())
                .isEqualTo(2_437));
    }

    @Test
    void wavRoundTripsAndRefusesOtherFormats(@TempDir Path dir) throws Exception {
        short[] tone = Signals.tone(440, 0.5, 100);
        Path file = dir.resolve("tone.wav");
        WavFile.write(file, 24_000, tone);
        var audio = WavFile.read(file);
        assertThat(audio.sampleRate()).isEqualTo(24_000);
        assertThat(audio.samples()).isEqualTo(tone);

        Path junk = dir.resolve("junk.wav");
        Files.write(junk, new byte[] {1, 2, 3});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WavFile.read(junk))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("not a RIFF/WAVE");
    }
}
