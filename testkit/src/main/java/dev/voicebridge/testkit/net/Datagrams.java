package dev.voicebridge.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/** Sending a datagram as a flood or a robustness test does, the same way from every socket. */
public final class Datagrams {
    private Datagrams() {}

    /**
     * Offers {@code datagram} to the kernel from {@code channel}: false when it was not taken (a
     * full send buffer of a non-blocking socket, or another send error UDP would drop it for).
     * A closed socket throws: counting its datagrams as refused would silently take them out of
     * whatever a test sends.
     */
    public static boolean offer(DatagramChannel channel, byte[] datagram, InetSocketAddress to) {
        try {
            return channel.send(ByteBuffer.wrap(datagram), to) > 0 || datagram.length == 0;
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException("the sending socket is closed", e);
        } catch (IOException e) {
            return false;
        }
    }
}
