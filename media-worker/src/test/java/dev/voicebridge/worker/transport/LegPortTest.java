package dev.voicebridge.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A relayed call's model leg leaves from a socket of its own: towards one remote media address
 * (OpenAI answers every call from one), two legs must differ in their 5-tuple.
 */
class LegPortTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** An RTP header (version 2, PT 111) and one byte of payload. */
    private static final byte[] RTP = {(byte) 0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7, 42};

    private SharedUdpPort port;
    private DatagramChannel remote;

    @BeforeEach
    void open() throws IOException {
        port = SharedUdpPort.open(LOOPBACK, 1 << 20, 256);
        remote = DatagramChannel.open().bind(LOOPBACK);
        remote.socket().setSoTimeout(5000);
    }

    @AfterEach
    void close() throws IOException {
        port.close();
        remote.close();
    }

    /** Records what a leg was given. */
    private static final class Leg implements DatagramHandler {
        final List<String> got = new CopyOnWriteArrayList<>();

        @Override
        public void onStun(StunMessage message, byte[] data, InetSocketAddress from) {
            got.add("stun " + message.username());
        }

        @Override
        public void onMedia(PacketKind kind, byte[] data, InetSocketAddress from) {
            got.add(kind.name());
        }
    }

    private static byte[] check(String username) {
        return StunMessage.builder(
                        StunMessage.BINDING_REQUEST, TransactionId.random().bytes())
                .username(username)
                .encode("password".getBytes(StandardCharsets.UTF_8));
    }

    private InetSocketAddress receiveOne() throws IOException {
        var buffer = ByteBuffer.allocate(2048);
        remote.configureBlocking(true);
        return (InetSocketAddress) remote.socket().getChannel().receive(buffer);
    }

    @Test
    void twoLegsLeaveFromTwoPortsNeitherTheSharedOne() throws Exception {
        try (LegPort a = port.openLeg();
                LegPort b = port.openLeg()) {
            assertThat(port.legCount()).isEqualTo(2);
            assertThat(List.of(a.localAddress().getPort(), b.localAddress().getPort()))
                    .doesNotHaveDuplicates()
                    .doesNotContain(port.localAddress().getPort());

            var to = (InetSocketAddress) remote.getLocalAddress();
            a.send(RTP, 0, RTP.length, to);
            InetSocketAddress fromA = receiveOne();
            b.send(RTP, 0, RTP.length, to);
            InetSocketAddress fromB = receiveOne();
            assertThat(fromA.getPort()).isEqualTo(a.localAddress().getPort());
            assertThat(fromB.getPort()).isEqualTo(b.localAddress().getPort());
        }
        assertThat(port.legCount()).isZero();
    }

    @Test
    void eachLegHearsOnlyWhatItsOwnRoutesClaim() throws Exception {
        var heardA = new Leg();
        var heardB = new Leg();
        try (LegPort a = port.openLeg();
                LegPort b = port.openLeg()) {
            a.registerUfrag("ufragA", heardA);
            b.registerUfrag("ufragB", heardB);
            // B's check sent to A's socket: A has no such ufrag, and it must not reach B either.
            remote.send(ByteBuffer.wrap(check("ufragB:peer")), a.localAddress());
            remote.send(ByteBuffer.wrap(check("ufragA:peer")), a.localAddress());
            remote.send(ByteBuffer.wrap(check("ufragB:peer")), b.localAddress());
            // Media from an address no ICE validated: dropped.
            remote.send(ByteBuffer.wrap(RTP), a.localAddress());
            await().atMost(WAIT).until(() -> port.stats().received() >= 4);
            assertThat(heardA.got).containsExactly("stun ufragA:peer");
            assertThat(heardB.got).containsExactly("stun ufragB:peer");
            assertThat(port.stats().unroutable()).isEqualTo(2);

            a.registerAddress((InetSocketAddress) remote.getLocalAddress(), heardA);
            remote.send(ByteBuffer.wrap(RTP), a.localAddress());
            await().atMost(WAIT).until(() -> heardA.got.size() == 2);
            assertThat(heardA.got).last().isEqualTo("RTP");
        }
    }

    @Test
    void aLegClosedUnderItsQueuedDatagramsCostsThemNotTheWorkersPort() throws Exception {
        var to = (InetSocketAddress) remote.getLocalAddress();
        LegPort leg = port.openLeg();
        leg.channel().close(); // as if the leg closed while its datagrams waited for the sender
        for (int i = 0; i < 10; i++) {
            leg.send(RTP, 0, RTP.length, to);
        }
        await().atMost(WAIT).until(() -> port.stats().sendErrors() >= 10);
        assertThat(port.failure()).isNull();
        port.send(RTP, 0, RTP.length, to);
        assertThat(receiveOne().getPort()).isEqualTo(port.localAddress().getPort());
        leg.close();
        assertThat(port.legCount()).isZero();
    }

    @Test
    void aLegSendsFromTheCallingThreadWithoutTheSenderThread() throws Exception {
        var to = (InetSocketAddress) remote.getLocalAddress();
        try (LegPort leg = port.openLeg()) {
            long wakeups = port.senderWakeups();
            long sent = port.stats().sent();
            for (int i = 0; i < 20; i++) {
                leg.send(RTP, 0, RTP.length, to);
                // Sent before send returned: it is already in the remote's socket buffer.
                assertThat(receiveOne().getPort()).isEqualTo(leg.localAddress().getPort());
            }
            assertThat(port.stats().sent() - sent).isEqualTo(20);
            assertThat(port.senderWakeups())
                    .as("the sender thread was never woken")
                    .isEqualTo(wakeups);
        }
    }

    @Test
    void anInterruptedSenderClosesNoLeg() throws Exception {
        var to = (InetSocketAddress) remote.getLocalAddress();
        try (LegPort leg = port.openLeg()) {
            Thread sender = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                leg.send(RTP, 0, RTP.length, to);
            });
            sender.join();
            assertThat(receiveOne().getPort()).isEqualTo(leg.localAddress().getPort());
            assertThat(leg.channel().isOpen()).isTrue();
        }
    }

    @Test
    void closingTheWorkersPortClosesItsLegsAndRefusesNewOnes() throws Exception {
        LegPort leg = port.openLeg();
        port.close();
        assertThat(leg.isOpen()).isFalse();
        assertThat(leg.channel().isOpen()).isFalse();
        assertThat(port.legCount()).isZero();
        assertThatThrownBy(port::openLeg).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
