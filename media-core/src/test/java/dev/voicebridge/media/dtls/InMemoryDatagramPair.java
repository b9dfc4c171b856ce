package dev.voicebridge.media.dtls;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/**
 * Two DTLS transports wired back to back in memory; a predicate may drop datagrams by index. Every
 * datagram either side sent is kept in {@link #wire}.
 */
final class InMemoryDatagramPair {
    final QueueDatagramTransport client;
    final QueueDatagramTransport server;
    final List<byte[]> wire = new CopyOnWriteArrayList<>();
    private final Holder serverHolder = new Holder();
    private final Holder clientHolder = new Holder();

    InMemoryDatagramPair(IntPredicate dropClientToServer) {
        var counter = new int[1];
        client = new QueueDatagramTransport(
                (buf, off, len) -> {
                    wire.add(Arrays.copyOfRange(buf, off, off + len));
                    if (!dropClientToServer.test(counter[0]++)) {
                        serverHolder.target.offer(Arrays.copyOfRange(buf, off, off + len));
                    }
                },
                64);
        server = new QueueDatagramTransport(
                (buf, off, len) -> {
                    wire.add(Arrays.copyOfRange(buf, off, off + len));
                    clientHolder.target.offer(Arrays.copyOfRange(buf, off, off + len));
                },
                64);
        serverHolder.target = server;
        clientHolder.target = client;
    }

    private static final class Holder {
        volatile QueueDatagramTransport target;
    }
}
