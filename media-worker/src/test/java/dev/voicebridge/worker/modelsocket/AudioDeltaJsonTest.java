package dev.voicebridge.worker.modelsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.worker.audio.Pcm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioDeltaJsonTest {
    private static final String TYPE = "response.output_audio.delta";
    private final AudioDeltaJson reader = new AudioDeltaJson(TYPE);

    /**
     * The text as the model socket hands an ASCII message over: a view of a larger buffer whose
     * bytes after the message would complete it wrongly, so a read past {@code length()} shows.
     */
    private static CharSequence view(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] buffer = Arrays.copyOf(b, b.length + 8);
        Arrays.fill(buffer, b.length, buffer.length, (byte) '}');
        return new WsChannel.AsciiView().of(buffer, b.length);
    }

    private static String base64(short[] pcm) {
        var buf = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.asShortBuffer().put(pcm);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    @Test
    void readsTheDeltaInAnyFieldOrderWithAnySpacingAsTheTreeParserDoes() {
        var random = new Random(12);
        for (int round = 0; round < 200; round++) {
            short[] pcm = new short[random.nextInt(1000)];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) random.nextInt();
            }
            List<String> fields = new ArrayList<>(List.of(
                    "\"type\":\"" + TYPE + "\"",
                    "\"event_id\":\"event_" + round + "\"",
                    "\"response_id\":\"resp_" + round + "\"",
                    "\"item_id\":\"item_" + round + "\"",
                    "\"output_index\":" + round,
                    "\"content_index\":-0.5e+3",
                    "\"obfuscation\":null",
                    "\"final\":false",
                    "\"delta\":\"" + base64(pcm) + "\""));
            Collections.shuffle(fields, random);
            String space = round % 3 == 0 ? "" : " \n\t";
            String text = space + "{" + space + String.join(space + "," + space, fields) + space + "}" + space;

            for (CharSequence message : List.of(text, view(text))) {
                var d = reader.read(message);

                assertThat(d).as(text).isNotNull();
                assertThat(d.responseId()).isEqualTo("resp_" + round);
                assertThat(d.itemId()).isEqualTo("item_" + round);
                assertThat(d.pcm()).isEqualTo(pcm).isEqualTo(Pcm.fromBase64(base64(pcm)));
            }
        }
    }

    @Test
    void decodesBase64AsTheJdkDecoderDoesPaddedOrNot() {
        var random = new Random(3);
        for (int bytes = 0; bytes < 12; bytes++) {
            byte[] raw = new byte[bytes];
            random.nextBytes(raw);
            String padded = Base64.getEncoder().encodeToString(raw);
            String unpadded = Base64.getEncoder().withoutPadding().encodeToString(raw);
            for (String b64 : List.of(padded, unpadded)) {
                assertThat(AudioDeltaJson.pcm(b64, 0, b64.length())).isEqualTo(Pcm.fromBase64(b64));
            }
        }
    }

    @Test
    void rejectsWhatTheJdkDecoderRejects() {
        for (String bad : List.of("A", "AAAAA", "AA=", "AAA==", "AAAA=", "AA=A", "AA A", "AA-_", "AAé=", "A===")) {
            assertThatThrownBy(() -> Base64.getDecoder().decode(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> AudioDeltaJson.pcm(bad, 0, bad.length()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void leavesEverythingNotCertainlyAFlatDeltaToTheTreeParser() {
        for (String other : List.of(
                "{\"type\":\"response.done\",\"response\":{\"id\":\"r\"}}",
                "{\"type\":\"response.output_audio.delta.x\",\"delta\":\"AAAA\"}",
                "{\"type\":\"response.output_audio\",\"delta\":\"AAAA\"}",
                "{\"delta\":\"AAAA\"}",
                "{\"type\":\"" + TYPE + "\",\"delta\":\"AAAA\",\"extra\":{}}",
                "{\"type\":\"" + TYPE + "\",\"delta\":\"AAAA\",\"extra\":[1]}",
                "{\"type\":\"" + TYPE + "\",\"item_id\":\"it\\u0065m\",\"delta\":\"AAAA\"}",
                "{\"type\":\"" + TYPE + "\",\"delta\":null}",
                "{\"type\":\"" + TYPE + "\",\"delta\":\"AAAA\",\"n\":01}",
                "{\"type\":\"" + TYPE + "\",\"delta\":\"AAAA\"} trailing",
                "{\"type\":\"" + TYPE + "\",\"delta\":\"AAAA\",}",
                "{\"type\":\"" + TYPE + "\" \"delta\":\"AAAA\"}",
                "{\"type\":\"" + TYPE + "\",\"delta\":\"AAAA\"",
                "[\"type\",\"" + TYPE + "\"]",
                "{}",
                "")) {
            assertThat(reader.read(other)).as(other).isNull();
            assertThat(reader.read(view(other))).as(other).isNull();
        }
    }

    @Test
    void aDeltaWithBadBase64IsAnErrorNotAFallback() {
        assertThatThrownBy(() -> reader.read("{\"type\":\"" + TYPE + "\",\"delta\":\"AA*A\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
