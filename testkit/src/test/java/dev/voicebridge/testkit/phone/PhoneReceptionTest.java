package dev.voicebridge.testkit.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a load phone measures of the worker's stream: gaps, talk-spurt onsets, losses. */
class PhoneReceptionTest {
    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x1234L;

    @Test
    void gapsGoToTheirBucketsAndTheLongestIsKept() {
        var r = new PhoneReception();
        long t = 1_000 * MS;
        r.onRtp(SSRC, 1, 960L * 1, true, 50, t);
        r.onRtp(SSRC, 2, 960L * 2, false, 50, t += 20 * MS);
        r.onRtp(SSRC, 3, 960L * 3, false, 50, t += 20 * MS);
        r.onRtp(SSRC, 4, 960L * 4, false, 50, t += 45 * MS); // a stall
        r.onRtp(SSRC, 5, 960L * 5, false, 50, t + 901 * MS); // beyond the histogram's range

        var s = r.snapshot(0);
        assertThat(s.gaps()).isEqualTo(4);
        assertThat(s.gapHistogram()[200]).isEqualTo(2); // 20.0 ms in 0.1 ms buckets
        assertThat(s.gapHistogram()[450]).isEqualTo(1);
        assertThat(s.gapHistogram()[PhoneReception.BUCKETS - 1]).isEqualTo(1);
        assertThat(s.maxGapNanos()).isEqualTo(901 * MS);
        assertThat(s.packetsLost()).isZero();
    }

    @Test
    void talkSpurtsStartAtMarkersExceptTheCallsFirstPacket() {
        var r = new PhoneReception();
        r.onRtp(SSRC, 1, 960L * 1, true, 3, 100 * MS); // the call's first packet, silence: marked whatever it holds
        r.onRtp(SSRC, 2, 960L * 2, false, 50, 120 * MS);
        r.onRtp(SSRC, 3, 960L * 3, true, 50, 140 * MS); // the greeting starts
        r.onRtp(SSRC, 4, 960L * 4, false, 50, 160 * MS);
        r.onRtp(SSRC, 6, 960L * 6, true, 50, 200 * MS); // the next spurt, one packet lost before it
        r.onCallerOnset(130 * MS);

        var s = r.snapshot(3);
        assertThat(s.agentOnsets()).containsExactly(140 * MS, 200 * MS);
        assertThat(s.callerOnsets()).containsExactly(130 * MS);
        assertThat(s.firstPacketNanos()).isEqualTo(100 * MS);
        assertThat(s.packetsLost()).isEqualTo(1);
        assertThat(s.concealedFrames()).isEqualTo(3);
    }

    /** A greeting sent at once on accept starts with the call's first packet: that is its onset. */
    @Test
    void theCallsFirstPacketStartsASpurtWhenItHoldsSpeech() {
        var r = new PhoneReception();
        r.onRtp(SSRC, 1, 960L * 1, true, 48, 100 * MS);
        r.onRtp(SSRC, 2, 960L * 2, false, 52, 120 * MS);

        assertThat(r.snapshot(0).agentOnsets()).containsExactly(100 * MS);
    }

    @Test
    void aResetStartsAWindowMeasuredFromTheLastPacket() {
        var r = new PhoneReception();
        r.onRtp(SSRC, 1, 960L * 1, true, 50, 0);
        r.onRtp(SSRC, 2, 960L * 2, true, 50, 60 * MS);
        r.reset();
        r.onRtp(SSRC, 3, 960L * 3, false, 50, 80 * MS);

        var s = r.snapshot(0);
        assertThat(s.gaps()).isEqualTo(1);
        assertThat(s.gapHistogram()[200]).isEqualTo(1);
        assertThat(s.maxGapNanos()).isEqualTo(20 * MS);
        assertThat(s.agentOnsets()).isEmpty();
    }
}
