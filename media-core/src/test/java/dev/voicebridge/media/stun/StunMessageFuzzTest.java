package dev.voicebridge.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.fuzz.Datagrams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The STUN decoder fed hostile input: it returns a message or null, never throws, and reads only
 * the datagram it is given. Generated messages are STUN-shaped (magic cookie, a consistent length,
 * attributes of every type ICE uses and of any other, of any length), since plain random bytes
 * almost never get past the header.
 */
class StunMessageFuzzTest {
    private static final int[] KNOWN = {
        StunMessage.ATTR_USERNAME,
        StunMessage.ATTR_MESSAGE_INTEGRITY,
        StunMessage.ATTR_ERROR_CODE,
        StunMessage.ATTR_XOR_MAPPED_ADDRESS,
        StunMessage.ATTR_PRIORITY,
        StunMessage.ATTR_USE_CANDIDATE,
        StunMessage.ATTR_FINGERPRINT,
        StunMessage.ATTR_ICE_CONTROLLED,
        StunMessage.ATTR_ICE_CONTROLLING
    };

    @Property(tries = 3000)
    void anyBytesAreNullOrAMessage(@ForAll("anyBytes") byte[] datagram) {
        StunMessage.decode(datagram, 0, datagram.length);
        StunMessage.looksLikeStun(datagram, 0, datagram.length);
    }

    @Property(tries = 3000)
    void stunShapedMessagesNeverThrowAndKeepTheirInvariants(@ForAll("stunShaped") byte[] datagram) {
        StunMessage m = StunMessage.decode(datagram, 0, datagram.length);
        if (m != null) {
            assertThat(m.transactionId()).hasSize(12);
            if (m.username() != null) {
                assertThat(m.username().getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(3 * StunMessage.MAX_USERNAME_BYTES);
            }
            m.verifyIntegrity("key".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Property(tries = 2000)
    void onlyTheDatagramsBytesAreRead(@ForAll("embeddedStun") Datagrams.Embedded e) {
        StunMessage inPlace = StunMessage.decode(e.buffer(), e.offset(), e.length());
        byte[] exact = e.exact();
        StunMessage alone = StunMessage.decode(exact, 0, exact.length);
        assertThat(describe(inPlace)).isEqualTo(describe(alone));
    }

    @Property(tries = 200)
    void encodedMessagesRoundTripAndEveryPrefixOrBitFlipIsData(
            @ForAll("usernames") String username,
            @ForAll long tieBreaker,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int priority,
            @ForAll boolean useCandidate) {
        byte[] key = "pwd".getBytes(StandardCharsets.UTF_8);
        byte[] wire = StunMessage.builder(
                        StunMessage.BINDING_REQUEST, TransactionId.random().bytes())
                .username(username)
                .priority(priority)
                .iceControlling(tieBreaker)
                .useCandidate(useCandidate)
                .encode(key);
        StunMessage m = StunMessage.decode(wire, 0, wire.length);
        assertThat(m).isNotNull();
        assertThat(m.username()).isEqualTo(username);
        assertThat(m.useCandidate()).isEqualTo(useCandidate);
        assertThat(m.verifyIntegrity(key)).isTrue();
        for (byte[] prefix : Datagrams.prefixes(wire)) {
            assertThat(StunMessage.decode(prefix, 0, prefix.length)).isNull();
        }
        // MESSAGE-INTEGRITY covers everything up to and including itself; FINGERPRINT follows it.
        int covered = wire.length - 8;
        for (int bit = 0; bit < covered * 8; bit++) {
            byte[] flipped = Datagrams.flip(wire, bit);
            StunMessage f = StunMessage.decode(flipped, 0, flipped.length);
            assertThat(f != null && f.verifyIntegrity(key))
                    .as("a forgery (bit %d flipped) that verifies", bit)
                    .isFalse();
        }
    }

    /** Exhaustive: every attribute type, each with every length up to 24, as the last attribute. */
    @Test
    void everyAttributeTypeWithEveryShortLengthIsData() {
        for (int type = 0; type <= 0xFFFF; type++) {
            for (int length : new int[] {0, 1, 3, 4, 7, 8, 12, 19, 20, 24}) {
                int padded = (length + 3) & ~3;
                byte[] wire = new byte[20 + 4 + padded];
                wire[1] = 0x01;
                wire[2] = (byte) ((4 + padded) >>> 8);
                wire[3] = (byte) (4 + padded);
                wire[4] = 0x21;
                wire[5] = 0x12;
                wire[6] = (byte) 0xA4;
                wire[7] = 0x42;
                wire[20] = (byte) (type >>> 8);
                wire[21] = (byte) type;
                wire[23] = (byte) length;
                StunMessage.decode(wire, 0, wire.length);
                // The same, with the attribute claiming more than the message holds.
                wire[23] = (byte) (padded + 4);
                assertThat(StunMessage.decode(wire, 0, wire.length)).isNull();
            }
        }
    }

    private static String describe(StunMessage m) {
        if (m == null) {
            return "null";
        }
        return m.type() + "/" + m.transactionKey() + "/" + m.username() + "/" + m.useCandidate() + "/"
                + m.xorMappedAddress() + "/" + m.hasIntegrity() + "/" + m.verifyIntegrity(new byte[] {1});
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Datagrams.anyBytes(600);
    }

    @Provide
    Arbitrary<Datagrams.Embedded> embeddedStun() {
        return Datagrams.embedded(stunShaped());
    }

    @Provide
    Arbitrary<String> usernames() {
        return Arbitraries.strings().ofMinLength(0).ofMaxLength(100);
    }

    @Provide
    Arbitrary<byte[]> stunShaped() {
        Arbitrary<Integer> types = Arbitraries.oneOf(
                Arbitraries.of(StunMessage.BINDING_REQUEST, StunMessage.BINDING_SUCCESS, StunMessage.BINDING_ERROR),
                Arbitraries.integers().between(0, 0x3FFF));
        Arbitrary<int[]> attributeType = Arbitraries.oneOf(
                        Arbitraries.integers().between(0, KNOWN.length - 1).map(i -> KNOWN[i]),
                        Arbitraries.integers().between(0, 0xFFFF))
                .map(t -> new int[] {t});
        Arbitrary<byte[]> attribute = Combinators.combine(
                        attributeType,
                        Arbitraries.oneOf(
                                Arbitraries.of(0, 1, 2, 3, 4, 8, 20),
                                Arbitraries.integers().between(0, 80)),
                        Datagrams.anyBytes(80),
                        Arbitraries.of(true, false))
                .as((type, length, value, lie) -> {
                    int padded = (length + 3) & ~3;
                    byte[] a = new byte[4 + padded];
                    a[0] = (byte) (type[0] >>> 8);
                    a[1] = (byte) type[0];
                    int declared = lie ? length + 4 : length;
                    a[2] = (byte) (declared >>> 8);
                    a[3] = (byte) declared;
                    System.arraycopy(value, 0, a, 4, Math.min(value.length, padded));
                    return a;
                });
        return Combinators.combine(
                        types,
                        attribute.list().ofMaxSize(8),
                        Datagrams.anyBytes(12),
                        Arbitraries.integers().between(-8, 8))
                .as((type, attributes, tid, lengthError) -> {
                    List<byte[]> all = new ArrayList<>(attributes);
                    int body = all.stream().mapToInt(a -> a.length).sum();
                    byte[] wire = new byte[20 + body];
                    wire[0] = (byte) (type >>> 8);
                    wire[1] = (byte) (int) type;
                    int declared = Math.max(0, body + (lengthError % 3 == 0 ? lengthError : 0));
                    wire[2] = (byte) (declared >>> 8);
                    wire[3] = (byte) declared;
                    wire[4] = 0x21;
                    wire[5] = 0x12;
                    wire[6] = (byte) 0xA4;
                    wire[7] = 0x42;
                    System.arraycopy(tid, 0, wire, 8, tid.length);
                    int pos = 20;
                    for (byte[] a : all) {
                        System.arraycopy(a, 0, wire, pos, a.length);
                        pos += a.length;
                    }
                    return wire;
                });
    }
}
