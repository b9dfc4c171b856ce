package dev.voicebridge.worker.modelsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written append message is the JSON a JSON library would write, for every length, as a
 * String and as the bytes handed to the socket.
 */
class AudioAppendJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void sameJsonAsATreeWouldGiveForEveryLengthAndReuse() throws Exception {
        var writer = new AudioAppendJson("input_audio_buffer.append");
        var sender = new AudioAppendJson("input_audio_buffer.append");
        var channel = new Recording();
        var random = new Random(7);
        // lengths that leave 0, 1 and 2 bytes over a base64 group, one frame, two, then smaller again
        for (int samples : new int[] {0, 1, 2, 3, 480, 960, 960, 481, 7, 960}) {
            short[] pcm = new short[samples];
            for (int i = 0; i < samples; i++) {
                pcm[i] = (short) random.nextInt();
            }
            var expected = json.createObjectNode()
                    .put("type", "input_audio_buffer.append")
                    .put("audio", littleEndianBase64(pcm))
                    .toString();

            String written = writer.write(pcm);
            sender.sendTo(channel, pcm);

            assertThat(written).isEqualTo(expected);
            assertThat(channel.last).as("the bytes handed to the socket").isEqualTo(expected);
            assertThat(json.readTree(written).get("audio").asText()).isEqualTo(littleEndianBase64(pcm));
        }
    }

    @Test
    void anEventTypeThatWouldNeedEscapingIsRefused() {
        assertThatThrownBy(() -> new AudioAppendJson("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioAppendJson("é")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A channel that keeps the text of the last bytes sent. */
    private static final class Recording implements ModelSocket.Channel {
        String last;

        @Override
        public void send(String text) {
            last = text;
        }

        @Override
        public void send(byte[] utf8, int length) {
            last = new String(utf8, 0, length, StandardCharsets.UTF_8);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close(String reason) {}
    }

    private static String littleEndianBase64(short[] pcm) {
        var buf = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.asShortBuffer().put(pcm);
        return Base64.getEncoder().encodeToString(buf.array());
    }
}
