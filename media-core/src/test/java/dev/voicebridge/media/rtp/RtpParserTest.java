package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpParserTest {
    @Test
    void roundTripsAPlainOpusPacket() {
        var packet = new RtpPacket(true, 111, 65535, 0xFFFF_FFFFL, 0xDEAD_BEEFL, new byte[] {1, 2, 3});
        byte[] wire = packet.toBytes();
        assertThat(wire).hasSize(15);
        assertThat(wire[0] & 0xFF).isEqualTo(0x80);
        assertThat(wire[1] & 0xFF).isEqualTo(0x80 | 111);
        assertThat(parsed(wire)).isEqualTo(packet);
    }

    @Test
    void roundTripsCsrcsAndExtensions() {
        var ext = new RtpPacket.HeaderExtension(0xBEDE, new byte[] {0x10, (byte) 0xAA, 0, 0});
        var packet =
                new RtpPacket(false, 96, 7, 123456, 42, List.of(1L, 0xFFFF_FFFFL), Optional.of(ext), new byte[] {9, 9});
        byte[] wire = packet.toBytes();
        assertThat(wire).hasSize(12 + 8 + 8 + 2);
        assertThat(parsed(wire)).isEqualTo(packet);
    }

    @Test
    void stripsPaddingAndHonoursOffsets() {
        byte[] inner = new RtpPacket(false, 111, 1, 2, 3, new byte[] {5, 6, 7}).toBytes();
        byte[] padded = Arrays.copyOf(inner, inner.length + 4);
        padded[0] |= 0x20;
        padded[padded.length - 1] = 4;
        byte[] framed = new byte[padded.length + 10];
        System.arraycopy(padded, 0, framed, 5, padded.length);
        RtpPacket p = ((RtpParseResult.Parsed) RtpParser.parse(framed, 5, padded.length)).packet();
        assertThat(p.payload()).containsExactly(5, 6, 7);
    }

    @Test
    void rejectsMalformedInputAsValues() {
        assertThat(malformed(new byte[11])).isEqualTo("short");
        byte[] v1 = new RtpPacket(false, 111, 1, 2, 3, new byte[0]).toBytes();
        v1[0] = 0x40;
        assertThat(malformed(v1)).isEqualTo("version");
        byte[] csrc = new RtpPacket(false, 111, 1, 2, 3, new byte[0]).toBytes();
        csrc[0] = (byte) 0x8F;
        assertThat(malformed(csrc)).isEqualTo("csrc");
        byte[] ext = new RtpPacket(false, 111, 1, 2, 3, new byte[4]).toBytes();
        ext[0] |= 0x10;
        ext[14] = 0x7F;
        assertThat(malformed(ext)).isEqualTo("extension");
        byte[] pad = new RtpPacket(false, 111, 1, 2, 3, new byte[] {1, 2}).toBytes();
        pad[0] |= 0x20;
        pad[pad.length - 1] = 9;
        assertThat(malformed(pad)).isEqualTo("padding");
        byte[] rtcp = new RtpPacket(false, 111, 1, 2, 3, new byte[0]).toBytes();
        rtcp[1] = (byte) 200;
        assertThat(malformed(rtcp)).isEqualTo("rtcp");
        assertThat(RtpParser.parse(null, 0, 0)).isInstanceOf(RtpParseResult.Malformed.class);
        assertThat(RtpParser.parse(new byte[20], 15, 10)).isInstanceOf(RtpParseResult.Malformed.class);
    }

    @Test
    void hundredThousandRandomAndTruncatedDatagramsNeverThrow() {
        var random = new Random(7);
        byte[] valid = new RtpPacket(
                        true,
                        111,
                        100,
                        200,
                        300,
                        List.of(5L),
                        Optional.of(new RtpPacket.HeaderExtension(0xBEDE, new byte[8])),
                        new byte[40])
                .toBytes();
        int parsed = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] d;
            if (i % 2 == 0) {
                d = new byte[random.nextInt(64)];
                random.nextBytes(d);
                if (d.length > 0) {
                    d[0] = (byte) (0x80 | (d[0] & 0x3F));
                }
            } else {
                d = Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                if (d.length > 0) {
                    d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            if (RtpParser.parse(d) instanceof RtpParseResult.Parsed(RtpPacket p)) {
                parsed++;
                assertThat(p.length()).isLessThanOrEqualTo(d.length);
            }
        }
        assertThat(parsed).isPositive().isLessThan(100_000);
    }

    @Test
    void sequenceArithmeticWraps() {
        assertThat(SequenceNumbers.delta(65535, 0)).isEqualTo(1);
        assertThat(SequenceNumbers.delta(0, 65535)).isEqualTo(-1);
        assertThat(SequenceNumbers.delta(100, 32867)).isEqualTo(32767);
        assertThat(SequenceNumbers.isNewer(2, 65530)).isTrue();
        assertThat(SequenceNumbers.isNewer(65530, 2)).isFalse();
        assertThat(SequenceNumbers.next(65535)).isZero();
        assertThat(SequenceNumbers.add(65535, 3)).isEqualTo(2);
        assertThat(SequenceNumbers.delta32(0xFFFF_FFF0L, 0x10)).isEqualTo(0x20);
    }

    @Test
    void muxDemultiplexesRtcpFromRtp() {
        byte[] rtp = new RtpPacket(true, 111, 1, 2, 3, new byte[1]).toBytes();
        byte[] rtcp = RtcpCodec.serialize(List.of(new RtcpPacket.ReceiverReport(1, List.of())));
        assertThat(RtcpMux.isRtcp(rtp, 0, rtp.length)).isFalse();
        assertThat(RtcpMux.isRtcp(rtcp, 0, rtcp.length)).isTrue();
        assertThat(RtcpMux.isRtcp(new byte[1], 0, 1)).isFalse();
    }

    private static RtpPacket parsed(byte[] wire) {
        return ((RtpParseResult.Parsed) RtpParser.parse(wire)).packet();
    }

    private static String malformed(byte[] wire) {
        return ((RtpParseResult.Malformed) RtpParser.parse(wire)).reason();
    }
}
