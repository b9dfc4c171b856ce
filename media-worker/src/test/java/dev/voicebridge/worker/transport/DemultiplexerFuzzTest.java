package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.fuzz.Datagrams;
import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The receive loop's routing fed hostile datagrams, from strangers and from a call's own peer:
 * nothing escapes, and every datagram is accounted for exactly once — delivered to its call,
 * unroutable, or malformed of one kind.
 */
class DemultiplexerFuzzTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("10.77.0.2", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("10.77.0.2", 40001);
    private static final String UFRAG = "ourufrag";

    private static final class Counting implements DatagramHandler {
        final AtomicLong stun = new AtomicLong();
        final AtomicLong media = new AtomicLong();

        @Override
        public void onStun(StunMessage message, byte[] data, InetSocketAddress from) {
            assertThat(message).isNotNull();
            stun.incrementAndGet();
        }

        @Override
        public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
            assertThat(from).isEqualTo(PEER);
            media.incrementAndGet();
        }
    }

    @Property(tries = 300)
    void everyDatagramIsDeliveredUnroutableOrMalformedNeverThrown(
            @ForAll("flood") List<byte[]> datagrams, @ForAll boolean throwingHandler) {
        var demux = new Demultiplexer();
        var handler = new Counting();
        DatagramHandler registered = throwingHandler
                ? new DatagramHandler() {
                    @Override
                    public void onStun(StunMessage message, byte[] data, InetSocketAddress from) {
                        handler.onStun(message, data, from);
                        throw new IllegalStateException("a handler bug");
                    }

                    @Override
                    public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
                        handler.onMedia(kind, data, from);
                        throw new IllegalStateException("a handler bug");
                    }
                }
                : handler;
        demux.registerUfrag(UFRAG, registered);
        demux.registerAddress(PEER, registered);
        for (int i = 0; i < datagrams.size(); i++) {
            demux.dispatch(datagrams.get(i), i % 2 == 0 ? PEER : STRANGER);
        }
        long delivered = handler.stun.get() + handler.media.get();
        long malformed =
                demux.malformed().values().stream().mapToLong(Long::longValue).sum();
        assertThat(demux.received()).isEqualTo(datagrams.size());
        assertThat(delivered + demux.unroutable() + malformed).isEqualTo(datagrams.size());
        assertThat(demux.handlerErrors()).isEqualTo(throwingHandler ? delivered : 0);
    }

    @Provide
    Arbitrary<List<byte[]>> flood() {
        Arbitrary<byte[]> anything = Datagrams.anyBytes(300);
        Arbitrary<byte[]> firstByteOfAKind = Combinators.combine(
                        Arbitraries.of(0, 1, 3, 20, 22, 23, 63, 128, 0x80, 0x90, 191), Datagrams.anyBytes(300))
                .as((first, d) -> {
                    if (d.length > 0) {
                        d[0] = (byte) (int) first;
                    }
                    return d;
                });
        Arbitrary<byte[]> requests = Arbitraries.of(UFRAG + ":them", "other:them", UFRAG, ":x", "")
                .map(username -> StunMessage.builder(
                                StunMessage.BINDING_REQUEST,
                                TransactionId.random().bytes())
                        .username(username)
                        .encode("pwd".getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> truncatedRequests = requests.flatMap(
                r -> Arbitraries.integers().between(0, r.length).map(n -> java.util.Arrays.copyOf(r, n)));
        Arbitrary<byte[]> oversized = Arbitraries.integers()
                .between(Demultiplexer.MAX_DATAGRAM + 1, 9000)
                .map(byte[]::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, anything),
                        net.jqwik.api.Tuple.of(4, firstByteOfAKind),
                        net.jqwik.api.Tuple.of(2, requests),
                        net.jqwik.api.Tuple.of(2, truncatedRequests),
                        net.jqwik.api.Tuple.of(1, oversized))
                .list()
                .ofMaxSize(60);
    }
}
