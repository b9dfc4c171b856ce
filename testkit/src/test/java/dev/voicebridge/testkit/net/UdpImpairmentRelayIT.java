package dev.voicebridge.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay on loopback: what it drops, delays, reorders and duplicates, both ways. */
@Timeout(30)
class UdpImpairmentRelayIT {
    @Test
    void dropsDuplicatesAndReordersAsConfiguredBothWays() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel outside = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                var relay = UdpImpairmentRelay.start(
                        "127.0.0.1", (InetSocketAddress) peer.getLocalAddress(), new ImpairmentConfig(20, 30, 10, 7))) {
            peer.socket().setSoTimeout(2000);
            List<Integer> received = new ArrayList<>();
            // Bursts of 50, each read by the relay before the next: socket buffers hold a few
            // hundred small datagrams, and this test is about the relay, not the kernel.
            for (int i = 0; i < 1000; i++) {
                outside.send(ByteBuffer.wrap(new byte[] {(byte) (i >> 8), (byte) i}), relay.front());
                if (i % 50 == 49) {
                    int sent = i + 1;
                    await().atMost(Duration.ofSeconds(5)).until(() -> {
                        drain(peer, received);
                        return relay.dropped() + relay.forwarded() - relay.duplicated() >= sent - 5;
                    });
                }
            }
            long[] last = {-1};
            // Settled: everything forwarded has arrived and nothing moved for a poll interval.
            await().pollInterval(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        drain(peer, received);
                        long now = relay.forwarded();
                        boolean settled = now == last[0] && received.size() == now;
                        last[0] = now;
                        return settled;
                    });
            long seen = relay.dropped() + relay.forwarded() - relay.duplicated();
            assertThat(seen).as("datagrams the relay read").isBetween(900L, 1000L);
            assertThat(relay.dropped()).isBetween(seen * 13 / 100, seen * 27 / 100);
            assertThat(relay.duplicated()).isBetween(seen * 5 / 100, seen * 15 / 100);
            boolean reordered = false;
            for (int i = 1; i < received.size(); i++) {
                reordered |= received.get(i) < received.get(i - 1);
            }
            assertThat(reordered)
                    .as("30 ms of jitter reorders 1000 back-to-back datagrams")
                    .isTrue();

            // The way back leaves through the front, towards whoever last sent to it.
            peer.send(ByteBuffer.wrap(new byte[] {42}), relay.back());
            outside.configureBlocking(true);
            outside.socket().setSoTimeout(2000);
            ByteBuffer reply = ByteBuffer.allocate(16);
            InetSocketAddress from = null;
            for (int attempt = 0; attempt < 20 && from == null; attempt++) {
                // 20 % loss applies to this direction too: retry until one gets through.
                peer.send(ByteBuffer.wrap(new byte[] {42}), relay.back());
                try {
                    outside.socket().receive(new java.net.DatagramPacket(reply.array(), 16));
                    from = relay.front();
                } catch (SocketTimeoutException e) {
                    // lost, try again
                }
            }
            assertThat(from).isEqualTo(relay.front());
            assertThat(relay.capturedFromPeer()).isNotEmpty();
        }
    }

    private static void drain(DatagramChannel channel, List<Integer> into) throws Exception {
        channel.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(16);
        while (channel.receive(b.clear()) != null) {
            b.flip();
            into.add((b.get() & 0xFF) << 8 | (b.get() & 0xFF));
        }
    }
}
