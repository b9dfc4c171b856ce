package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DtmfTest {
    @Test
    void encoderFollowsRfc4733PacketTrain() {
        var packets = DtmfEncoder.keyPress('#', 100, 8000, 10);
        assertThat(packets).hasSize(4 + 3);
        assertThat(packets.getFirst().marker()).isTrue();
        assertThat(packets.stream().skip(1)).noneMatch(DtmfEncoder.EventPacket::marker);
        TelephoneEvent first =
                TelephoneEvent.parse(packets.getFirst().payload()).orElseThrow();
        assertThat(first.digit()).contains('#');
        assertThat(first.end()).isFalse();
        assertThat(first.duration()).isEqualTo(160);
        for (var end : packets.subList(4, 7)) {
            TelephoneEvent e = TelephoneEvent.parse(end.payload()).orElseThrow();
            assertThat(e.end()).isTrue();
            assertThat(e.duration()).isEqualTo(800);
            assertThat(e.volume()).isEqualTo(10);
        }
    }

    @Test
    void oneDigitPerEventDespiteRetransmittedEndsAndReordering() {
        var decoder = new DtmfDecoder();
        var random = new Random(1);
        var digits = new ArrayList<Character>();
        String typed = "1123*#A0";
        long ts = 10_000;
        for (char c : typed.toCharArray()) {
            List<DtmfEncoder.EventPacket> train = new ArrayList<>(DtmfEncoder.keyPress(c, 120, 48000, 10));
            // Reorder within the event and duplicate one packet, as a lossy network would.
            Collections.swap(train, 1 + random.nextInt(train.size() - 1), 1 + random.nextInt(train.size() - 1));
            train.add(train.get(random.nextInt(train.size())));
            for (var p : train) {
                decoder.onPacket(ts, p.payload()).ifPresent(digits::add);
            }
            ts += 48000; // next key press one second later
        }
        assertThat(digits).containsExactly('1', '1', '2', '3', '*', '#', 'A', '0');
        assertThat(decoder.duplicates()).isGreaterThanOrEqualTo(typed.length() * 8L);
    }

    @Test
    void stragglersOfAnOlderEventAndShortPayloadsAreIgnored() {
        var decoder = new DtmfDecoder();
        byte[] five = new TelephoneEvent(5, false, 10, 160).toBytes();
        byte[] six = new TelephoneEvent(6, false, 10, 160).toBytes();
        assertThat(decoder.onPacket(1000, five)).contains('5');
        assertThat(decoder.onPacket(2000, six)).contains('6');
        assertThat(decoder.onPacket(1000, five)).isEmpty();
        assertThat(decoder.onPacket(3000, new byte[3])).isEmpty();
        assertThat(decoder.onPacket(4000, new TelephoneEvent(16, false, 10, 160).toBytes()))
                .isEqualTo(Optional.empty());
    }
}
