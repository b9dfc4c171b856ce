package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.ice.CandidatePolicy;
import dev.voicebridge.worker.ice.CheckLimits;
import dev.voicebridge.worker.ice.IceGuard;
import dev.voicebridge.worker.ice.Refusal;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 finding 6: one offer with 1,200 candidates made the worker send 707 STUN packets to
 * 101 destinations. Here such an offer — a thousand reachable candidates on the phone's address
 * and two hundred the worker must never send to (multicast, broadcast, unspecified, loopback,
 * link-local, names) — is answered, and what arrives at the candidates' sockets is counted.
 */
@Timeout(60)
class CandidateFloodIT {
    private static final int LISTENED = 200;
    private static final int FIRST_PORT = 30_000;
    private static final int LOOPBACK_PORT = 41_000;
    private static final int LOOPBACK_CANDIDATES = 10;

    private record Arrival(long nanos, int port) {}

    @Test
    void aThousandCandidateOfferReachesFewDestinationsAtABoundedRate() throws Exception {
        TestNetwork.requireNamespace();
        // The default candidate policy (16 candidates, no loopback), and check limits tight
        // enough to be seen working within the 5 s the test fixture gives checks.
        var limits = new CheckLimits(20, 60);
        TransportConfig config = WorkerFixture.testConfig().withIceLimits(CandidatePolicy.defaults(), limits);
        int max = CandidatePolicy.DEFAULT_MAX_CANDIDATES;
        var logged = new CopyOnWriteArrayList<String>();
        Logger guardLog = Logger.getLogger(IceGuard.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        guardLog.addHandler(capture);
        try (var fixture = new WorkerFixture(config);
                SyntheticPhone phone =
                        fixture.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults());
                Selector selector = Selector.open()) {
            var listeners = new ArrayList<DatagramChannel>();
            for (int i = 0; i < LISTENED; i++) {
                listeners.add(listen(selector, new InetSocketAddress(TestNetwork.PHONE, FIRST_PORT + i)));
            }
            for (int i = 0; i < LOOPBACK_CANDIDATES; i++) {
                listeners.add(listen(selector, new InetSocketAddress("127.0.0.1", LOOPBACK_PORT + i)));
            }

            String offer = hostileOffer(phone.offer());
            assertThat(offer.getBytes(StandardCharsets.UTF_8).length).isLessThan(SdpParser.MAX_OFFER_BYTES);
            var listener = new RecordingListener();
            CallTransport session = fixture.engine.createTransport("wa-flood", offer, new EchoMedia(), listener);
            session.start();

            var arrivals = new ConcurrentLinkedQueue<Arrival>();
            long deadline = System.nanoTime()
                    + config.ice().checkTimeout().plusSeconds(2).toNanos();
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            while (System.nanoTime() < deadline && !listener.ended.isDone()) {
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    var channel = (DatagramChannel) key.channel();
                    while (channel.receive(buffer.clear()) != null) {
                        arrivals.add(new Arrival(
                                System.nanoTime(), ((InetSocketAddress) channel.getLocalAddress()).getPort()));
                    }
                }
                selector.selectedKeys().clear();
            }
            assertThat(listener.ended.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.IceFailed);

            Map<Integer, Integer> perPort = new TreeMap<>();
            arrivals.forEach(a -> perPort.merge(a.port(), 1, Integer::sum));
            int maxPerSecond = maxInAnySecond(new ArrayList<>(arrivals));
            System.out.printf(
                    "candidate flood: %d STUN datagrams to %d destinations %s, at most %d in one second%n",
                    arrivals.size(), perPort.size(), perPort, maxPerSecond);
            assertThat(perPort.keySet()).as("never to a loopback candidate").noneMatch(p -> p >= LOOPBACK_PORT);
            assertThat(perPort.size()).as("destinations").isLessThanOrEqualTo(max);
            assertThat(perPort.keySet()).as("the highest priorities").allMatch(p -> p < FIRST_PORT + max);
            assertThat(arrivals)
                    .as("checks in all before a pair is selected")
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(limits.totalBeforeSelection());
            // A token bucket of one second's worth: at most twice the rate leave in any one second
            // (+2: arrival times jitter by milliseconds across the window's edges)...
            assertThat(maxPerSecond).as("checks in one second").isLessThanOrEqualTo(2 * limits.perSecond() + 2);
            // ...and beyond the first second's worth, no faster than the rate.
            long[] times = arrivals.stream().mapToLong(Arrival::nanos).sorted().toArray();
            long beyondBucket = times.length - limits.perSecond();
            if (beyondBucket > 0) {
                assertThat((times[times.length - 1] - times[0]) / 1e9)
                        .as("seconds the checks took")
                        .isGreaterThan(0.9 * beyondBucket / limits.perSecond());
            }

            IceGuard guard = fixture.engine.iceGuard();
            assertThat(guard.refused(Refusal.OVER_LIMIT)).isEqualTo(1000 - max);
            assertThat(guard.refused(Refusal.SPECIAL))
                    .as("multicast, broadcast, unspecified")
                    .isEqualTo(40 + 25 * 3);
            assertThat(guard.refused(Refusal.DENIED))
                    .as("loopback, link-local")
                    .isEqualTo(LOOPBACK_CANDIDATES + 25 * 2);
            assertThat(guard.refused(Refusal.UNUSABLE)).as("names").isEqualTo(25);
            assertThat(guard.refused(Refusal.RATE) + guard.refused(Refusal.TOTAL))
                    .as("checks ice4j wanted beyond the limits")
                    .isPositive();
            assertThat(logged.stream().filter(l -> l.contains("call=wa-flood ")))
                    .as("refused candidates are logged once for the call")
                    .hasSize(1);
            assertThat(logged)
                    .as("refused checks: a line per reason and interval at most")
                    .hasSizeLessThanOrEqualTo(4);
            for (DatagramChannel c : listeners) {
                c.close();
            }
        } finally {
            guardLog.removeHandler(capture);
        }
    }

    private static DatagramChannel listen(Selector selector, InetSocketAddress at) throws java.io.IOException {
        DatagramChannel channel = DatagramChannel.open().bind(at);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        return channel;
    }

    /** Sliding one-second window over the arrival times. */
    private static int maxInAnySecond(List<Arrival> arrivals) {
        long[] t = arrivals.stream().mapToLong(Arrival::nanos).sorted().toArray();
        int best = 0;
        int start = 0;
        for (int end = 0; end < t.length; end++) {
            while (t[end] - t[start] >= 1_000_000_000L) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    /**
     * The phone's offer with its one candidate replaced by 1,200, by falling priority: ten on
     * loopback, a thousand on the phone's address (ports 30000..30999), then 190 the worker must
     * never send to (multicast, broadcast, unspecified, link-local, names). Priorities are short so
     * the offer stays under 64 KB. (ice4j keeps the 100 best pairs of its check list: without a
     * bound of our own that is loopback and 90 destinations.)
     */
    static String hostileOffer(String offer) {
        var lines = new StringBuilder();
        int priority = 1200;
        for (int i = 0; i < LOOPBACK_CANDIDATES; i++) {
            lines.append(candidate(priority--, "127.0.0.1", LOOPBACK_PORT + i));
        }
        for (int i = 0; i < 1000; i++) {
            lines.append(candidate(priority--, TestNetwork.PHONE, FIRST_PORT + i));
        }
        for (int i = 0; i < 40; i++) {
            lines.append(candidate(priority--, "224.0.0." + (i + 1), 5000 + i));
        }
        for (int i = 0; i < 25; i++) {
            lines.append(candidate(priority--, "255.255.255.255", 5000 + i));
            lines.append(candidate(priority--, "0.0.0.0", 5000 + i));
            lines.append(candidate(priority--, "169.254.169.254", 5000 + i));
            lines.append(candidate(priority--, "fe80::1", 5000 + i));
            lines.append(candidate(priority--, "ff02::1", 5000 + i));
            lines.append(candidate(priority--, "h" + i + ".local", 5000 + i));
        }
        String original = offer.lines()
                .filter(l -> l.startsWith("a=candidate:"))
                .findFirst()
                .orElseThrow();
        return offer.replace(original + "\r\n", lines.toString());
    }

    private static String candidate(int priority, String address, int port) {
        return "a=candidate:1 1 udp " + priority + " " + address + " " + port + " typ host\r\n";
    }
}
