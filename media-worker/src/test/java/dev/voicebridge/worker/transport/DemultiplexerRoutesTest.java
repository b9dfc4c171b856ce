package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which call a datagram reaches, by route. */
class DemultiplexerRoutesTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 3478);
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.8", 3478);
    /** A DTLS handshake record's header (content type 22, DTLS 1.2, epoch 0) and one byte of body. */
    private static final byte[] CLIENT_HELLO = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};

    private final Demultiplexer routes = new Demultiplexer();

    /** Records what a call was given. */
    private static final class Call implements DatagramHandler {
        final List<String> got = new ArrayList<>();

        @Override
        public void onStun(StunMessage message, byte[] data, InetSocketAddress from) {
            got.add("stun " + Integer.toHexString(message.type()));
        }

        @Override
        public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
            got.add(kind + " from " + from.getPort() + "/" + from.getHostString());
        }
    }

    private static byte[] success(TransactionId id) {
        return StunMessage.builder(StunMessage.BINDING_SUCCESS, id.bytes())
                .encode("peerpassword".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAnswerToACheckOfOursRoutesThePeersMediaBeforeIceHasToldTheCall() {
        var call = new Call();
        var id = TransactionId.random();
        routes.registerTransaction(id, call);
        routes.dispatch(CLIENT_HELLO.clone(), PEER);
        assertThat(call.got)
                .as("before any answer, the peer's DTLS has no route")
                .isEmpty();

        routes.dispatch(success(id), PEER);
        routes.dispatch(CLIENT_HELLO.clone(), PEER);
        routes.dispatch(CLIENT_HELLO.clone(), OTHER);
        assertThat(call.got).containsExactly("stun 101", "DTLS from 3478/192.0.2.7");
    }

    @Test
    void anAddressACallHoldsIsNotTakenByAnotherCallsAnswer() {
        var first = new Call();
        var second = new Call();
        routes.registerAddress(PEER, first);
        var id = TransactionId.random();
        routes.registerTransaction(id, second);
        routes.dispatch(success(id), PEER);
        routes.dispatch(CLIENT_HELLO.clone(), PEER);
        assertThat(first.got).containsExactly("DTLS from 3478/192.0.2.7");
        assertThat(second.got).containsExactly("stun 101");
    }
}
