package dev.voicebridge.worker.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The one thread that reads every {@link LegPort} of a worker: a selector over the legs'
 * non-blocking sockets, one datagram read from each ready socket per wake-up (so one busy leg
 * cannot starve the rest) into its leg's own {@link Demultiplexer}. One, not "until empty": a
 * leg carries a packet every 20 ms, so a ready socket nearly always holds just one, and the read
 * that would find it empty is a system call per packet for nothing — the selector, level-triggered,
 * reports a socket that still holds more at once. Started with the
 * first leg, so a worker that relays nothing has no such thread. If it dies, no relayed call can
 * hear its model again: {@code onFailure} is told (the port fails loudly).
 */
final class LegReceiver {
    private final Selector selector;
    private final Thread thread;
    private final Queue<LegPort> pending = new ConcurrentLinkedQueue<>();
    private final Consumer<Throwable> onFailure;
    private volatile boolean closed;

    LegReceiver(String name, Consumer<Throwable> onFailure) throws IOException {
        this.selector = Selector.open();
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** The receive thread starts reading {@code leg} at its next wake-up (now). */
    void add(LegPort leg) {
        pending.add(leg);
        selector.wakeup();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Demultiplexer.MAX_DATAGRAM + 1);
        Throwable cause = null;
        try {
            while (!closed) {
                selector.select();
                Thread.interrupted(); // a stray interrupt would keep waking select; the sockets are untouched
                LegPort leg;
                while ((leg = pending.poll()) != null) {
                    try {
                        leg.channel().register(selector, SelectionKey.OP_READ, leg);
                    } catch (ClosedChannelException e) {
                        // its call ended before the thread got to it
                    }
                }
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    readOne((LegPort) key.attachment(), key, buffer);
                }
            }
        } catch (ClosedSelectorException e) {
            if (!closed) {
                cause = e;
            }
        } catch (IOException | RuntimeException | Error e) {
            cause = e;
        } finally {
            if (!closed) {
                onFailure.accept(cause != null ? cause : new IllegalStateException("leg receive thread ended"));
            }
        }
    }

    private static void readOne(LegPort leg, SelectionKey key, ByteBuffer buffer) {
        SocketAddress from;
        try {
            buffer.clear();
            from = leg.channel().receive(buffer);
        } catch (ClosedChannelException e) {
            key.cancel(); // the leg closed with its call
            return;
        } catch (IOException e) {
            return; // an ICMP error reported on this socket: it stays usable
        }
        if (from instanceof InetSocketAddress remote) {
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            leg.routes().dispatch(data, remote);
        }
    }

    void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (Thread.currentThread() == thread) {
            return; // closed from its own failure
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
