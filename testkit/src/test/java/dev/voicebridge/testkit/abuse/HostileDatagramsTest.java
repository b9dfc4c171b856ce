package dev.voicebridge.testkit.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.testkit.abuse.HostileDatagrams.Kind;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hostile catalogue's schedule: every kind in every flood, oversized ones a quarter as often. */
@Timeout(30)
class HostileDatagramsTest {
    @Test
    void aFloodOfTheAbuseTestsSizeHoldsEveryKindWithOversizedAQuarterAsOften() {
        Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
        for (int i = 0; i < 100_000; i++) {
            kinds.merge(HostileDatagrams.kindOf(i), 1L, Long::sum);
        }
        assertThat(kinds).containsOnlyKeys(Kind.values());
        assertThat(kinds.get(Kind.STUN_24_BYTES)).isEqualTo(9091);
        assertThat(kinds.get(Kind.OVERSIZED)).isEqualTo(2273);
        assertThat(kinds.get(Kind.NOISE)).isEqualTo(9090 + 9091 - 2273);
    }

    @Test
    void aPacedFloodCountsWhatItSentByKind() throws Exception {
        try (DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            DatagramFlood.Sender peer = (datagram, to) -> true;
            var hostile = new HostileDatagrams(7, "worker:phone", 1234);
            try (var flood = DatagramFlood.start(
                    hostile, peer, stranger, new InetSocketAddress("127.0.0.1", 9), 4400, 400, Duration.ofMillis(1))) {
                var result = flood.await(Duration.ofSeconds(20));
                assertThat(result.sent()).isEqualTo(4400);
                assertThat(result.byKind()).containsOnlyKeys(Kind.values());
                assertThat(result.byKind().get(Kind.OVERSIZED)).isEqualTo(100);
            }
        }
    }
}
