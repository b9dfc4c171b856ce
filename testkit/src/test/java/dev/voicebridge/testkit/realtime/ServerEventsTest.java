package dev.voicebridge.testkit.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ServerEventsTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ServerEvents events = new ServerEvents(json, 7);

    @Test
    void anAudioDeltaWrittenWithoutATreeIsTheTreesJson() throws Exception {
        var audio = RenderedAudio.of(new short[] {1, -2, 300, 32767, -32768}, "t", 2);
        String base64 = audio.deltas()[0];

        var text = json.readTree(events.audioDeltaText("resp_7_1", "item_7_1", base64));
        var tree = events.audioDelta("resp_7_1", "item_7_1", base64);

        assertThat(text.path("event_id").asText()).startsWith("event_7_");
        ((com.fasterxml.jackson.databind.node.ObjectNode) text).remove("event_id");
        tree.remove("event_id");
        assertThat(text).isEqualTo(tree);
        assertThat(json.writeValueAsString(text)).isEqualTo(json.writeValueAsString(tree));
    }

    @Test
    void renderedDeltasAreTheSamplesInOrderTheLastOneShort() {
        short[] pcm = {1, -2, 300, 32767, -32768};
        var audio = RenderedAudio.of(pcm, "t", 2);

        assertThat(audio.deltas()).hasSize(3);
        assertThat(audio.samples(2)).isEqualTo(1);
        var joined = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (String d : audio.deltas()) {
            joined.put(Base64.getDecoder().decode(d));
        }
        short[] back = new short[pcm.length];
        joined.flip().asShortBuffer().get(back);
        assertThat(back).isEqualTo(pcm);
    }
}
