package dev.voicebridge.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StunMessageTest {
    /** RFC 5769 §2.1 sample request (short-term credentials, password "VOkJxbRl1RmTxUk/WvJxBt"). */
    private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e20746573742063" + "6c69656e74"
            + "00240004" + "6e0001ff"
            + "80290008" + "932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "00080014" + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004" + "e57a3bcf";

    @Test
    void decodesAndVerifiesTheRfc5769TestVector() {
        byte[] wire = HexFormat.of().parseHex(RFC5769_REQUEST);
        StunMessage m = StunMessage.decode(wire, 0, wire.length);
        assertThat(m).isNotNull();
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_REQUEST);
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.hasIntegrity()).isTrue();
        assertThat(m.verifyIntegrity("VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(m.verifyIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void encodedRequestAndResponseRoundTrip() {
        byte[] key = "F6/jjqL0/8/Dzluc0IoZEQ==".getBytes(StandardCharsets.UTF_8);
        var tid = TransactionId.random();
        byte[] wire = StunMessage.builder(StunMessage.BINDING_REQUEST, tid.bytes())
                .username("remote:local")
                .priority(2122260223L)
                .iceControlling(42L)
                .useCandidate(true)
                .encode(key);
        var m = StunMessage.decode(wire, 0, wire.length);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_REQUEST);
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.transactionKey()).isEqualTo(tid);
        assertThat(m.username()).isEqualTo("remote:local");
        assertThat(m.verifyIntegrity(key)).isTrue();

        var mapped = new InetSocketAddress("10.77.0.2", 40000);
        byte[] response = StunMessage.builder(StunMessage.BINDING_SUCCESS, tid.bytes())
                .xorMappedAddress(mapped)
                .encode(key);
        var r = StunMessage.decode(response, 0, response.length);
        assertThat(r.xorMappedAddress()).isEqualTo(mapped);
        assertThat(r.verifyIntegrity(key)).isTrue();

        response[response.length - 1] ^= 1;
        assertThat(StunMessage.decode(response, 0, response.length))
                .as("bad FINGERPRINT")
                .isNull();
    }

    /**
     * Issue 11 finding 2: a binding request whose last attribute has length 0 (24 bytes on the
     * wire) made the decoder read past the datagram, throwing on the shared receive loop.
     */
    @Test
    void twentyFourByteRequestWithAnEmptyLastAttributeIsDataNotAnException() {
        for (int type : new int[] {
            StunMessage.ATTR_XOR_MAPPED_ADDRESS,
            StunMessage.ATTR_USERNAME,
            StunMessage.ATTR_PRIORITY,
            StunMessage.ATTR_USE_CANDIDATE,
            StunMessage.ATTR_ERROR_CODE,
            StunMessage.ATTR_MESSAGE_INTEGRITY,
            StunMessage.ATTR_FINGERPRINT,
            StunMessage.ATTR_ICE_CONTROLLED,
            StunMessage.ATTR_ICE_CONTROLLING,
            0x0001,
            0xFFFF
        }) {
            byte[] wire = HexFormat.of().parseHex("000100042112a442" + "0102030405060708090a0b0c");
            wire = java.util.Arrays.copyOf(wire, 24);
            wire[20] = (byte) (type >>> 8);
            wire[21] = (byte) type;
            byte[] exact = wire;
            assertThat(exact).hasSize(24);
            StunMessage m = StunMessage.decode(exact, 0, exact.length);
            if (type == StunMessage.ATTR_XOR_MAPPED_ADDRESS
                    || type == StunMessage.ATTR_PRIORITY
                    || type == StunMessage.ATTR_ERROR_CODE
                    || type == StunMessage.ATTR_MESSAGE_INTEGRITY
                    || type == StunMessage.ATTR_FINGERPRINT
                    || type == StunMessage.ATTR_ICE_CONTROLLED
                    || type == StunMessage.ATTR_ICE_CONTROLLING) {
                assertThat(m)
                        .as("attribute 0x%04x of length 0 is malformed", type)
                        .isNull();
            } else {
                assertThat(m)
                        .as("attribute 0x%04x of length 0 is allowed", type)
                        .isNotNull();
            }
        }
    }

    @Test
    void randomAndTruncatedInputNeverThrows() {
        var random = new Random(9);
        byte[] valid = StunMessage.builder(
                        StunMessage.BINDING_REQUEST, TransactionId.random().bytes())
                .username("a:b")
                .encode("k".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < valid.length; i++) {
            assertThat(StunMessage.decode(valid, 0, i)).isNull();
        }
        byte[] junk = new byte[300];
        for (int i = 0; i < 50_000; i++) {
            random.nextBytes(junk);
            junk[0] &= 0x03;
            junk[4] = 0x21;
            junk[5] = 0x12;
            junk[6] = (byte) 0xA4;
            junk[7] = 0x42;
            StunMessage.decode(junk, 0, random.nextInt(300));
        }
    }
}
