package dev.voicebridge.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.dtls.DtlsRole;
import dev.voicebridge.media.dtls.SrtpKeyingMaterial;
import dev.voicebridge.media.dtls.SrtpProfile;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpSessionTest {
    private static SrtpKeyingMaterial keys(SrtpProfile profile, long seed) {
        var random = new Random(seed);
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = new byte[i % 2 == 0 ? profile.keyLength() : profile.saltLength()];
            random.nextBytes(parts[i]);
        }
        return new SrtpKeyingMaterial(profile, parts[0], parts[1], parts[2], parts[3]);
    }

    static byte[] rtp(int seq, long timestamp, int ssrc, int payloadLength, byte fill) {
        byte[] p = new byte[12 + payloadLength];
        p[0] = (byte) 0x80;
        p[1] = 111;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        Arrays.fill(p, 12, p.length, fill);
        return p;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsAndPayloadIsEncrypted(SrtpProfile profile) {
        var material = keys(profile, 1);
        try (var client = new SrtpSession(material, DtlsRole.CLIENT);
                var server = new SrtpSession(material, DtlsRole.SERVER)) {
            var buffer = new PacketBuffer(1500);
            for (int seq = 0; seq < 100; seq++) {
                byte[] plain = rtp(seq, seq * 960L, 0x1234, 80, (byte) seq);
                buffer.set(plain, 0, plain.length);
                assertThat(client.protectRtp(buffer)).isTrue();
                assertThat(buffer.getLength())
                        .isEqualTo(plain.length + (profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10));
                assertThat(Arrays.copyOfRange(buffer.getBuffer(), 12, 92))
                        .isNotEqualTo(Arrays.copyOfRange(plain, 12, 92));
                assertThat(server.unprotectRtp(buffer)).isTrue();
                assertThat(Arrays.copyOfRange(
                                buffer.getBuffer(), buffer.getOffset(), buffer.getOffset() + buffer.getLength()))
                        .isEqualTo(plain);
            }
            assertThat(server.stats().rtpUnprotected()).isEqualTo(100);
            assertThat(server.stats().dropped()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void streamsOfTwoSsrcsInterleavedEachKeepTheirOwnContext(SrtpProfile profile) {
        // The sender keeps the last stream's context at hand; a switch of SSRC must not reuse it
        // (the receiver would reject the packets: wrong keys, or the other stream's index).
        var material = keys(profile, 3);
        try (var client = new SrtpSession(material, DtlsRole.CLIENT);
                var server = new SrtpSession(material, DtlsRole.SERVER)) {
            var buffer = new PacketBuffer(1500);
            for (int seq = 0; seq < 40; seq++) {
                int ssrc = seq % 3 == 0 ? 0x2222 : 0x1111; // runs of one stream, then a switch
                byte[] plain = rtp(seq, seq * 960L, ssrc, 40, (byte) seq);
                assertThat(client.protectRtp(buffer.set(plain, 0, plain.length)))
                        .isTrue();
                assertThat(server.unprotectRtp(buffer)).isTrue();
                assertThat(Arrays.copyOfRange(
                                buffer.getBuffer(), buffer.getOffset(), buffer.getOffset() + buffer.getLength()))
                        .isEqualTo(plain);
            }
            assertThat(server.stats().dropped()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedReplayedTruncatedAndForeignPacketsAreDroppedAndCounted(SrtpProfile profile) {
        var material = keys(profile, 2);
        try (var client = new SrtpSession(material, DtlsRole.CLIENT);
                var server = new SrtpSession(material, DtlsRole.SERVER);
                var stranger = new SrtpSession(keys(profile, 3), DtlsRole.CLIENT)) {
            var buffer = new PacketBuffer(1500);
            byte[] plain = rtp(7, 6720, 0x42, 60, (byte) 1);
            buffer.set(plain, 0, plain.length);
            client.protectRtp(buffer);
            byte[] good =
                    Arrays.copyOfRange(buffer.getBuffer(), buffer.getOffset(), buffer.getOffset() + buffer.getLength());

            byte[] tampered = good.clone();
            tampered[20] ^= 1;
            assertThat(server.unprotectRtp(new PacketBuffer(1500).set(tampered, 0, tampered.length)))
                    .isFalse();
            assertThat(server.stats().authFailures()).isEqualTo(1);

            assertThat(server.unprotectRtp(new PacketBuffer(1500).set(good, 0, good.length)))
                    .isTrue();
            assertThat(server.unprotectRtp(new PacketBuffer(1500).set(good, 0, good.length)))
                    .isFalse();
            assertThat(server.stats().replays()).isEqualTo(1);

            assertThat(server.unprotectRtp(new PacketBuffer(1500).set(good, 0, 15)))
                    .isFalse();
            assertThat(server.stats().invalid()).isEqualTo(1);

            byte[] later = rtp(8, 7680, 0x42, 60, (byte) 1);
            buffer.set(later, 0, later.length);
            stranger.protectRtp(buffer);
            assertThat(server.unprotectRtp(buffer)).isFalse();
            assertThat(server.stats().authFailures()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripsAndReplaysAreDropped(SrtpProfile profile) {
        var material = keys(profile, 4);
        try (var client = new SrtpSession(material, DtlsRole.CLIENT);
                var server = new SrtpSession(material, DtlsRole.SERVER)) {
            // A minimal receiver report: V=2, RC=0, PT=201, length=1, SSRC.
            byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0x12, 0x34};
            var buffer = new PacketBuffer(1500).set(rr, 0, rr.length);
            assertThat(client.protectRtcp(buffer)).isTrue();
            byte[] wire =
                    Arrays.copyOfRange(buffer.getBuffer(), buffer.getOffset(), buffer.getOffset() + buffer.getLength());
            assertThat(server.unprotectRtcp(buffer)).isTrue();
            assertThat(Arrays.copyOfRange(
                            buffer.getBuffer(), buffer.getOffset(), buffer.getOffset() + buffer.getLength()))
                    .isEqualTo(rr);
            assertThat(server.unprotectRtcp(new PacketBuffer(64).set(wire, 0, wire.length)))
                    .isFalse();
            assertThat(server.stats().replays()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomGarbageNeverThrowsAndCreatesNoContexts(SrtpProfile profile) {
        var random = new Random(5);
        try (var server = new SrtpSession(keys(profile, 6), DtlsRole.SERVER)) {
            var buffer = new PacketBuffer(1500);
            byte[] junk = new byte[1500];
            for (int i = 0; i < 20_000; i++) {
                random.nextBytes(junk);
                junk[0] = (byte) (0x80 | (junk[0] & 0x3F));
                int len = random.nextInt(200);
                buffer.set(junk, 0, len);
                if ((i & 1) == 0) {
                    server.unprotectRtp(buffer);
                } else {
                    server.unprotectRtcp(buffer);
                }
            }
            var stats = server.stats();
            assertThat(stats.rtpUnprotected() + stats.rtcpUnprotected()).isZero();
            assertThat(stats.dropped()).isEqualTo(20_000);
        }
    }

    /**
     * A forged packet with an SSRC that never authenticated costs a key derivation (6–17 µs here,
     * a real packet ~1 µs). A peer's address can be spoofed, so how many such trials a session
     * makes is bounded; a real new source still gets through once the bound allows a trial.
     */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forgedNewSsrcsCostABoundedNumberOfKeyDerivations(SrtpProfile profile) {
        var random = new Random(8);
        long[] now = {0};
        try (var client = new SrtpSession(keys(profile, 9), DtlsRole.CLIENT);
                var server = new SrtpSession(keys(profile, 9), DtlsRole.SERVER, () -> now[0])) {
            var buffer = new PacketBuffer(1500);
            for (int i = 0; i < 1000; i++) {
                byte[] forged = rtp(i, i, random.nextInt(), 40, (byte) i);
                byte[] tagged = Arrays.copyOf(forged, forged.length + 16);
                random.nextBytes(tagged);
                System.arraycopy(forged, 0, tagged, 0, 12);
                server.unprotectRtp(buffer.set(tagged, 0, tagged.length));
            }
            var stats = server.stats();
            assertThat(stats.authFailures())
                    .as("key derivations tried")
                    .isLessThanOrEqualTo(SrtpSession.NEW_SSRC_TRIALS);
            assertThat(stats.unknownSsrc()).isEqualTo(1000 - stats.authFailures());

            byte[] real = rtp(1, 1, 0x1234, 40, (byte) 7);
            assertThat(client.protectRtp(buffer.set(real, 0, real.length))).isTrue();
            byte[] wire =
                    Arrays.copyOfRange(buffer.getBuffer(), buffer.getOffset(), buffer.getOffset() + buffer.getLength());
            assertThat(server.unprotectRtp(buffer.set(wire.clone(), 0, wire.length)))
                    .as("no trial left in this second")
                    .isFalse();
            now[0] += 1_000_000_000L;
            assertThat(server.unprotectRtp(buffer.set(wire.clone(), 0, wire.length)))
                    .as("a real new source, a second later")
                    .isTrue();
            // Its context is kept: its next packets cost no derivation, whatever the forgeries do.
            byte[] next = rtp(2, 961, 0x1234, 40, (byte) 8);
            assertThat(client.protectRtp(buffer.set(next, 0, next.length))).isTrue();
            assertThat(server.unprotectRtp(buffer)).isTrue();
        }
    }

    @Test
    void warmUpRunsARealRoundTripForEveryProfile() {
        // Throws when any profile cannot protect and unprotect; twice, as a restarted engine would.
        SrtpSession.warmUp();
        SrtpSession.warmUp();
    }
}
