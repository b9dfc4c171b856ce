package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RtpStreamRewriterTest {
    private static final long OURS = 0x1234_5678L;
    private static final long MS = 1_000_000L;
    private final RtpStreamRewriter rewriter = new RtpStreamRewriter(OURS, 48_000, 1000, 500_000L);
    private final byte[] out = new byte[1500];

    private RtpPacket forward(RtpPacket in, long nowNanos) {
        byte[] bytes = in.toBytes();
        int n = rewriter.rewrite(bytes, 0, bytes.length, 111, out, 0, nowNanos);
        assertThat(n).as("forwarded").isPositive();
        return ((RtpParseResult.Parsed) RtpParser.parse(out, 0, n)).packet();
    }

    private static RtpPacket source(long ssrc, int seq, long ts, boolean marker, byte... payload) {
        return new RtpPacket(marker, 96, seq, ts, ssrc, payload);
    }

    @Test
    void aSourcesPacketsContinueOurStreamWithItsOwnGapsAndPayloadsUntouched() {
        var first = forward(source(0xAAAA, 65_534, 0xFFFF_FC40L, false, (byte) 1, (byte) 2), 0);
        assertThat(first.ssrc()).isEqualTo(OURS);
        assertThat(first.payloadType()).isEqualTo(111);
        assertThat(first.marker()).as("a new source starts a talk spurt").isTrue();
        assertThat(first.sequenceNumber()).isEqualTo(1000);
        assertThat(first.timestamp()).isEqualTo(500_000L);
        assertThat(first.payload()).containsExactly(1, 2);

        // across both wraps (the source's timestamps run -960, 0, 960, 1920); it lost seq 0, and
        // our stream shows the same gap
        var second = forward(source(0xAAAA, 65_535, 0, false, (byte) 3), 20 * MS);
        assertThat(second.sequenceNumber()).isEqualTo(1001);
        assertThat(second.timestamp()).isEqualTo(500_960L);
        assertThat(second.marker()).isFalse();
        var afterLoss = forward(source(0xAAAA, 1, 1920, true, (byte) 4), 60 * MS);
        assertThat(afterLoss.sequenceNumber()).isEqualTo(1003);
        assertThat(afterLoss.timestamp()).isEqualTo(502_880L);
        assertThat(afterLoss.marker()).as("the source's own marker is kept").isTrue();

        // the lost packet, late: it keeps its place
        var late = forward(source(0xAAAA, 0, 960, false, (byte) 5), 61 * MS);
        assertThat(late.sequenceNumber()).isEqualTo(1002);
        assertThat(late.timestamp()).isEqualTo(501_920L);
        assertThat(rewriter.forwarded()).isEqualTo(4);
    }

    @Test
    void aNewSourceContinuesOurStreamAfterThePauseItTookAndTheOldOneIsDropped() {
        forward(source(0xAAAA, 10, 9_600, false), 0);
        forward(source(0xAAAA, 11, 10_560, false), 20 * MS);
        // the model's session rolled over: another SSRC, numbering from anywhere, 300 ms later
        var next = forward(source(0xBBBB, 40_000, 77_777, false, (byte) 7), 320 * MS);
        assertThat(next.sequenceNumber()).isEqualTo(1002);
        assertThat(next.timestamp()).isEqualTo(500_000L + 960 + 300 * 48);
        assertThat(next.marker()).isTrue();
        assertThat(next.ssrc()).isEqualTo(OURS);
        var then = forward(source(0xBBBB, 40_001, 77_777 + 960, false), 340 * MS);
        assertThat(then.sequenceNumber()).isEqualTo(1003);
        assertThat(then.timestamp()).isEqualTo(500_000L + 960 + 300 * 48 + 960);
        assertThat(then.marker()).isFalse();

        byte[] stale = source(0xAAAA, 12, 11_520, false).toBytes();
        assertThat(rewriter.rewrite(stale, 0, stale.length, 111, out, 0, 341 * MS))
                .isEqualTo(RtpStreamRewriter.NOT_FORWARDED);
        assertThat(rewriter.stale()).isEqualTo(1);
        assertThat(rewriter.sourceChanges()).isEqualTo(1);
    }

    @Test
    void csrcsExtensionsAndPaddingOfTheOtherLegAreNotCarriedOver() {
        var ext = new RtpPacket.HeaderExtension(0xBEDE, new byte[] {0x10, 0x7F, 0, 0});
        byte[] in = new RtpPacket(false, 96, 5, 960, 0xAAAA, List.of(1L, 2L), Optional.of(ext), new byte[] {9, 8, 7})
                .toBytes();
        byte[] padded = new byte[in.length + 4];
        System.arraycopy(in, 0, padded, 0, in.length);
        padded[0] |= 0x20;
        padded[padded.length - 1] = 4;
        int n = rewriter.rewrite(padded, 0, padded.length, 111, out, 0, 0);
        assertThat(n).isEqualTo(RtpPacket.FIXED_HEADER_BYTES + 3);
        var written = ((RtpParseResult.Parsed) RtpParser.parse(out, 0, n)).packet();
        assertThat(written.csrcs()).isEmpty();
        assertThat(written.extension()).isEmpty();
        assertThat(written.payload()).containsExactly(9, 8, 7);
        assertThat(out[0]).as("version 2, no padding, no extension, no CSRC").isEqualTo((byte) 0x80);
    }

    @Test
    void malformedPacketsAreRefusedAndCountedWithoutTouchingTheStream() {
        byte[] good = source(0xAAAA, 1, 960, false, (byte) 1).toBytes();
        byte[] version1 = good.clone();
        version1[0] = 0x40;
        byte[] badPad = good.clone();
        badPad[0] |= 0x20;
        badPad[badPad.length - 1] = 9; // more padding than the packet has
        byte[] zeroPad = good.clone();
        zeroPad[0] |= 0x20;
        zeroPad[zeroPad.length - 1] = 0;
        byte[] manyCsrcs = good.clone();
        manyCsrcs[0] |= 0x0F;
        for (byte[] bad : List.of(version1, badPad, zeroPad, manyCsrcs, new byte[11])) {
            assertThat(rewriter.rewrite(bad, 0, bad.length, 111, out, 0, 0)).isEqualTo(RtpStreamRewriter.NOT_FORWARDED);
        }
        assertThat(rewriter.malformed()).isEqualTo(5);
        var first = forward(source(0xAAAA, 1, 960, false, (byte) 1), 0);
        assertThat(first.sequenceNumber()).isEqualTo(1000);
        assertThat(first.marker()).isTrue();
    }
}
