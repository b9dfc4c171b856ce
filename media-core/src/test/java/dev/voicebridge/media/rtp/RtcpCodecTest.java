package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpCodecTest {
    @Test
    void roundTripsACompoundSenderReportWithCname() {
        var block = new ReportBlock(0xCAFEBABEL, 12, -3, 0x1_0005L, 480, 0x1234_5678L, 65536);
        var sr = new RtcpPacket.SenderReport(
                0xDEADBEEFL, NtpTime.fromEpochMillis(1_760_681_506_762L), 960_000, 250, 20_000, List.of(block));
        var sdes = new RtcpPacket.SourceDescription(
                List.of(new RtcpPacket.SourceDescription.Chunk(0xDEADBEEFL, "vb-call-1")));
        byte[] wire = RtcpCodec.serialize(List.of(sr, sdes));

        assertThat(wire.length % 4).isZero();
        assertThat(RtcpMux.isRtcp(wire, 0, wire.length)).isTrue();
        var parsed = (RtcpCodec.RtcpParseResult.Parsed) RtcpCodec.parse(wire, 0, wire.length);
        assertThat(parsed.packets()).containsExactly(sr, sdes);
    }

    @Test
    void roundTripsReceiverReportAndBye() {
        var rr = new RtcpPacket.ReceiverReport(5, List.of(new ReportBlock(6, 255, 0x7FFFFF, 0xFFFF_FFFFL, 0, 0, 0)));
        var bye = new RtcpPacket.Goodbye(List.of(5L));
        byte[] wire = RtcpCodec.serialize(List.of(rr, bye));
        byte[] framed = new byte[wire.length + 3];
        System.arraycopy(wire, 0, framed, 3, wire.length);
        var parsed = (RtcpCodec.RtcpParseResult.Parsed) RtcpCodec.parse(framed, 3, wire.length);
        assertThat(parsed.packets()).containsExactly(rr, bye);
    }

    @Test
    void keepsUnknownTypesOpaque() {
        byte[] fb = {(byte) 0x81, (byte) 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};
        var parsed = (RtcpCodec.RtcpParseResult.Parsed) RtcpCodec.parse(fb, 0, fb.length);
        assertThat(parsed.packets()).containsExactly(new RtcpPacket.Other(205, 1, 12));
    }

    @Test
    void ntpTimestampsMatchRfc3550Epoch() {
        long ntp = NtpTime.fromEpochMillis(0);
        assertThat(ntp >>> 32).isEqualTo(2_208_988_800L);
        assertThat(NtpTime.fromEpochMillis(500) & 0xFFFF_FFFFL).isEqualTo(1L << 31);
        assertThat(NtpTime.middle32(ntp)).isEqualTo((2_208_988_800L & 0xFFFF) << 16);
    }

    @Test
    void malformedCompoundsAreValuesNotExceptions() {
        byte[] wire = RtcpCodec.serialize(List.of(
                new RtcpPacket.SenderReport(1, 2, 3, 4, 5, List.of(new ReportBlock(1, 2, 3, 4, 5, 6, 7))),
                new RtcpPacket.SourceDescription(List.of(new RtcpPacket.SourceDescription.Chunk(1, "x")))));
        var random = new Random(3);
        int ok = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] d = Arrays.copyOf(wire, random.nextInt(wire.length + 1));
            if (d.length > 0 && i % 3 != 0) {
                d[random.nextInt(d.length)] = (byte) random.nextInt();
            }
            if (RtcpCodec.parse(d, 0, d.length) instanceof RtcpCodec.RtcpParseResult.Parsed) {
                ok++;
            }
        }
        assertThat(ok).isPositive().isLessThan(100_000);
        assertThat(RtcpCodec.parse(new byte[0], 0, 0)).isInstanceOf(RtcpCodec.RtcpParseResult.Malformed.class);
    }
}
