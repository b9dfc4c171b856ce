package dev.voicebridge.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.fuzz.Datagrams;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** RFC 4733 telephone-events from a hostile peer: any payload, any order, no exception. */
class TelephoneEventFuzzTest {
    @Property(tries = 2000)
    void anyPayloadIsAnEventOrNothing(@ForAll("payloads") byte[] payload) {
        Optional<TelephoneEvent> event = TelephoneEvent.parse(payload);
        assertThat(event.isPresent()).isEqualTo(payload.length >= TelephoneEvent.BYTES);
        event.ifPresent(e -> assertThat(TelephoneEvent.parse(e.toBytes())).contains(e));
    }

    /** Exhaustive over event, end bit and volume: every event we can write reads back. */
    @Test
    void everyEventRoundTrips() {
        for (int event = 0; event <= 255; event++) {
            for (int volume = 0; volume <= 63; volume++) {
                for (boolean end : new boolean[] {false, true}) {
                    var e = new TelephoneEvent(event, end, volume, (event * 257 + volume) & 0xFFFF);
                    assertThat(TelephoneEvent.parse(e.toBytes())).contains(e);
                }
            }
        }
    }

    @Property(tries = 500)
    void anyPacketOrderReportsAtMostOneDigitPerEvent(@ForAll("streams") List<Tuple.Tuple2<Long, byte[]>> packets) {
        var decoder = new DtmfDecoder();
        var timestamps = new HashSet<Long>();
        int digits = 0;
        for (var p : packets) {
            timestamps.add(p.get1());
            if (decoder.onPacket(p.get1(), p.get2()).isPresent()) {
                digits++;
            }
        }
        assertThat(digits).isLessThanOrEqualTo(timestamps.size());
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Datagrams.anyBytes(12);
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Long, byte[]>>> streams() {
        return Combinators.combine(Arbitraries.longs().between(0, 20), payloads())
                .as(Tuple::of)
                .list()
                .ofMaxSize(60);
    }
}
