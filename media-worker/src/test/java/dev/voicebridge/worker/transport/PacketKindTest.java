package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketKindTest {
    private static PacketKind of(int b0, int b1, int length) {
        byte[] b = new byte[Math.max(length, 2)];
        b[0] = (byte) b0;
        b[1] = (byte) b1;
        return PacketKind.classify(b, 0, length);
    }

    @Test
    void classifiesByFirstByteAsRfc7983Says() {
        assertThat(of(0x00, 0x01, 20)).isEqualTo(PacketKind.STUN);
        assertThat(of(0x01, 0x01, 20)).isEqualTo(PacketKind.STUN);
        // What a datagram claims; whether it is whole is the demultiplexer's check (malformed STUN).
        assertThat(of(0x00, 0x01, 19)).as("shorter than a STUN header").isEqualTo(PacketKind.STUN);
        assertThat(of(20, 0xFE, 13)).as("DTLS change_cipher_spec").isEqualTo(PacketKind.DTLS);
        assertThat(of(22, 0xFE, 13)).as("DTLS handshake").isEqualTo(PacketKind.DTLS);
        assertThat(of(63, 0, 13)).isEqualTo(PacketKind.DTLS);
        assertThat(of(16, 0, 20)).as("ZRTP is not served").isEqualTo(PacketKind.UNKNOWN);
        assertThat(of(64, 0, 20)).as("TURN channel is not served").isEqualTo(PacketKind.UNKNOWN);
        assertThat(of(0x80, 111, 12)).isEqualTo(PacketKind.RTP);
        assertThat(of(0x80, 111 | 0x80, 12)).as("marker bit set").isEqualTo(PacketKind.RTP);
        assertThat(of(0x90, 126, 12)).isEqualTo(PacketKind.RTP);
        assertThat(of(0xFF, 0, 0)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(of(0xC0, 111, 12)).as("version 3").isEqualTo(PacketKind.UNKNOWN);
    }

    @Test
    void rtcpPacketTypesAreSeparatedFromRtpWithRtcpMux() {
        // RFC 5761 §4: SR 200 .. PSFB 206 and the whole 192..223 range are RTCP.
        for (int pt = 192; pt <= 223; pt++) {
            assertThat(of(0x80, pt, 8)).as("PT %d", pt).isEqualTo(PacketKind.RTCP);
        }
        assertThat(of(0x81, 201, 8)).as("RR with one report block").isEqualTo(PacketKind.RTCP);
        assertThat(of(0x80, 191, 12)).isEqualTo(PacketKind.RTP);
        assertThat(of(0x80, 224, 12)).isEqualTo(PacketKind.RTP);
        assertThat(of(0x80, 200, 7)).as("too short, but claims RTCP").isEqualTo(PacketKind.RTCP);
        assertThat(of(0x80, 200, 1)).as("one byte: no type to read").isEqualTo(PacketKind.RTP);
    }
}
