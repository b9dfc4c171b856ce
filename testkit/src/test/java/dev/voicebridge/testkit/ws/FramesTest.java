package dev.voicebridge.testkit.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bulk byte work of the fake WebSocket server against the byte-at-a-time definitions of RFC 6455. */
class FramesTest {

    @Test
    void bulkUnmaskingEqualsTheRfcsByteAtATimeXorForEveryLengthAndOffset() {
        var random = new Random(6455);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len < 41; len++) {
                byte[] data = new byte[off + len + 3];
                random.nextBytes(data);
                byte[] key = new byte[4];
                random.nextBytes(key);
                byte[] expected = data.clone();
                for (int i = 0; i < len; i++) {
                    expected[off + i] ^= key[i % 4]; // §5.3: j = i MOD 4
                }
                int k = (key[0] & 0xFF) << 24 | (key[1] & 0xFF) << 16 | (key[2] & 0xFF) << 8 | key[3] & 0xFF;
                Frames.unmask(data, off, len, k);
                assertThat(data).as("offset %d, length %d", off, len).isEqualTo(expected);
            }
        }
    }

    @Test
    void textIsAcceptedOnlyAsValidUtf8() {
        byte[] ascii = "{\"type\":\"input_audio_buffer.append\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(Frames.ascii(ascii, 0, ascii.length)).isTrue();
        assertThat(Frames.text(ascii, 0, ascii.length)).isEqualTo("{\"type\":\"input_audio_buffer.append\"}");
        byte[] utf8 = "lé € \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        assertThat(Frames.ascii(utf8, 0, utf8.length)).isFalse();
        assertThat(Frames.text(utf8, 0, utf8.length)).isEqualTo("lé € \uD83D\uDE00");
        // a high byte in the eight-byte stride and one in the tail
        assertThat(Frames.ascii("abcdefgé".getBytes(StandardCharsets.UTF_8), 0, 9))
                .isFalse();
        assertThat(Frames.ascii("abcdefghijé".getBytes(StandardCharsets.UTF_8), 0, 12))
                .isFalse();
        assertThat(Frames.text(new byte[] {'a', (byte) 0xC3, 0x28}, 0, 3)).isNull(); // bad continuation
        assertThat(Frames.text(new byte[] {(byte) 0xC0, (byte) 0xAF}, 0, 2)).isNull(); // overlong '/'
        assertThat(Frames.text(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3))
                .isNull(); // surrogate
        assertThat(Frames.text(new byte[] {(byte) 0xE2, (byte) 0x82}, 0, 2)).isNull(); // cut short
    }

    @Test
    void serverFrameHeadersUseTheShortestLength() {
        byte[] h = new byte[10];
        assertThat(Frames.header(h, Frames.TEXT, 125)).isEqualTo(2);
        assertThat(h[0] & 0xFF).isEqualTo(0x81);
        assertThat(h[1]).isEqualTo((byte) 125);
        assertThat(Frames.header(h, Frames.TEXT, 126)).isEqualTo(4);
        assertThat(h[1]).isEqualTo((byte) 126);
        assertThat((h[2] & 0xFF) << 8 | h[3] & 0xFF).isEqualTo(126);
        assertThat(Frames.header(h, Frames.CLOSE, 70_000)).isEqualTo(10);
        assertThat(h[0] & 0xFF).isEqualTo(0x88);
        assertThat(h[1]).isEqualTo((byte) 127);
        long len = 0;
        for (int i = 2; i < 10; i++) {
            len = len << 8 | (h[i] & 0xFF);
        }
        assertThat(len).isEqualTo(70_000);
        assertThat(Frames.headerSize(125)).isEqualTo(2);
        assertThat(Frames.headerSize(65_535)).isEqualTo(4);
        assertThat(Frames.headerSize(65_536)).isEqualTo(10);
    }
}
