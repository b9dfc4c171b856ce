package dev.voicebridge.testkit.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.testkit.abuse.HostileDatagrams.Kind;
import dev.voicebridge.testkit.net.Datagrams;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
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

    /**
     * AbuseE2E's control flood is closed when its window ends, sometimes mid-send. An interrupt
     * closes a {@code DatagramChannel} a thread is blocked in, and the stranger's channel is shared
     * with the hostile flood that follows: that flood then counted only its peer socket's half
     * (every oversized datagram is in the stranger's half), taking twice as long. Closing must
     * stop the pacer without interrupting it.
     */
    @Test
    void closingAFloodMidSendLeavesItsSocketsOpen() throws Exception {
        try (DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            DatagramFlood.Sender fromPeer = (datagram, to) -> Datagrams.offer(peer, datagram, to);
            var target = (InetSocketAddress) sink.getLocalAddress();
            for (int round = 0; round < 200 && stranger.isOpen() && peer.isOpen(); round++) {
                var flood = DatagramFlood.start(
                        HostileDatagrams.harmless(round),
                        fromPeer,
                        stranger,
                        target,
                        1_000_000,
                        5_000,
                        Duration.ofMillis(1));
                while (flood.sent() < 1_000) {
                    Thread.onSpinWait();
                }
                flood.close();
            }
            assertThat(stranger.isOpen()).as("the stranger's socket").isTrue();
            assertThat(peer.isOpen()).as("the peer's socket").isTrue();
        }
    }

    @Test
    void aSocketThatClosedFailsTheFloodInsteadOfCountingNothing() throws Exception {
        DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        stranger.close();
        DatagramFlood.Sender peer = (datagram, to) -> true;
        try (var flood = DatagramFlood.start(
                HostileDatagrams.harmless(1),
                peer,
                stranger,
                new InetSocketAddress("127.0.0.1", 9),
                100,
                100,
                Duration.ofMillis(1))) {
            assertThatThrownBy(() -> flood.await(Duration.ofSeconds(10)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasRootCauseInstanceOf(ClosedChannelException.class);
        }
    }
}
