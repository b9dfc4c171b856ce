package dev.voicebridge.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.audio.EnergyVad.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnergyVadTest {
    private static final short[] LOUD = new short[480];
    private static final short[] QUIET = new short[480];

    static {
        Arrays.fill(LOUD, (short) 1000);
    }

    private static List<Transition> feed(EnergyVad vad, short[]... frames) {
        var out = new ArrayList<Transition>();
        for (short[] f : frames) {
            out.add(vad.accept(f));
        }
        return out;
    }

    @Test
    void startsAfterTheAttackAndStopsAfterTheHangoverWhichShortPausesDoNotReach() {
        var vad = new EnergyVad(500, 2, 3);
        assertThat(feed(vad, LOUD, QUIET, LOUD, LOUD))
                .containsExactly(Transition.NONE, Transition.NONE, Transition.NONE, Transition.STARTED);
        assertThat(feed(vad, QUIET, QUIET, LOUD, QUIET, QUIET, QUIET))
                .containsExactly(
                        Transition.NONE,
                        Transition.NONE,
                        Transition.NONE,
                        Transition.NONE,
                        Transition.NONE,
                        Transition.STOPPED);
        assertThat(vad.speaking()).isFalse();
    }

    @Test
    void readsAFrameInsideABufferAndTakesANewHangover() {
        short[] pcm = new short[480 * 3];
        Arrays.fill(pcm, 480, 960, (short) 1000);
        var vad = new EnergyVad(500, 1, 5);
        assertThat(vad.accept(pcm, 0, 480)).isEqualTo(Transition.NONE);
        assertThat(vad.accept(pcm, 480, 480)).isEqualTo(Transition.STARTED);
        vad.hangoverFrames(1);
        assertThat(vad.accept(pcm, 960, 480)).isEqualTo(Transition.STOPPED);
        assertThat(EnergyVad.rms(pcm, 480, 480)).isEqualTo(1000.0);
    }
}
