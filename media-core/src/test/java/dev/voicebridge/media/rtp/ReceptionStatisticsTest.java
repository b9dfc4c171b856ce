package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReceptionStatisticsTest {
    private static final long FRAME_NANOS = 20_000_000L;

    @Test
    void countsLossAcrossASequenceWrap() {
        var stats = new ReceptionStatistics(48000);
        int start = 65500;
        for (int i = 0; i < 100; i++) {
            if (i % 20 == 7) {
                continue; // 5 lost
            }
            int seq = (start + i) & 0xFFFF;
            stats.onPacket(77, seq, i * 960L, i * FRAME_NANOS);
        }
        assertThat(stats.extendedHighestSequence()).isEqualTo(0x10000L + ((start + 99) & 0xFFFF));
        assertThat(stats.expected()).isEqualTo(100);
        assertThat(stats.cumulativeLost()).isEqualTo(5);
        ReportBlock block = stats.reportBlock(100 * FRAME_NANOS);
        assertThat(block.fractionLost()).isEqualTo(5 * 256 / 100);
        assertThat(block.cumulativeLost()).isEqualTo(5);
        assertThat(stats.reportBlock(101 * FRAME_NANOS).fractionLost()).isZero();
    }

    @Test
    void jitterIsZeroForPerfectPacingAndTracksAlternatingDelay() {
        var perfect = new InterarrivalJitter(48000);
        for (int i = 0; i < 200; i++) {
            perfect.update(0xFFFF_0000L + i * 960L & 0xFFFF_FFFFL, 1_000_000_000L + i * FRAME_NANOS);
        }
        assertThat(perfect.millis()).isLessThan(0.05);

        var alternating = new InterarrivalJitter(48000);
        for (int i = 0; i < 400; i++) {
            long delay = (i % 2) * 4_000_000L;
            alternating.update(i * 960L, i * FRAME_NANOS + delay);
        }
        // |D| is 4 ms on every packet, so J converges to 4 ms (192 units at 48 kHz).
        assertThat(alternating.millis()).isCloseTo(4.0, within(0.1));
        assertThat(alternating.units()).isBetween(188L, 192L);
    }

    @Test
    void aSingleWildJumpIsNotTakenAsTheNewSequenceUntilConfirmed() {
        var stats = new ReceptionStatistics(48000);
        for (int i = 0; i < 10; i++) {
            stats.onPacket(1, i, i * 960L, i * FRAME_NANOS);
        }
        assertThat(stats.onPacket(1, 30000, 0, 0)).isFalse();
        assertThat(stats.extendedHighestSequence()).isEqualTo(9);
        assertThat(stats.onPacket(1, 30001, 0, 0)).isTrue();
        assertThat(stats.extendedHighestSequence()).isEqualTo(30001);
    }
}
