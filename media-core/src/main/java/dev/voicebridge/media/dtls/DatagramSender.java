package dev.voicebridge.media.dtls;

/** Sends one datagram to the peer, e.g. over the ICE-selected pair. Must not block for long. */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] buf, int off, int len);
}
