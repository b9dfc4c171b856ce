package dev.voicebridge.testkit.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.media.stun.StunMessage;
import dev.voicebridge.media.stun.TransactionId;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Phones on one shared port, each called by a phone with a socket of its own that offers as a
 * full ICE agent; the phones on the port answer as OpenAI's peer does ({@code a=setup:active}).
 * Real sockets on 127.0.0.1, real DTLS-SRTP. How the port routes checks and media is in {@code
 * FakeRealtimeCallsIT}, through the fake's calls; here, what closing does and what is dropped.
 */
@Timeout(60)
class SharedPhonePortIT {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private PhoneHost host;

    /** A caller with a socket of its own, and the phone on the port that answered it. */
    record Call(SyntheticPhone caller, SyntheticPhone callee) {}

    @BeforeEach
    void start() throws Exception {
        host = PhoneHost.start();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void closingAPhoneLeavesThePortToTheOthers() throws Exception {
        var port = host.openSharedPort(LOOPBACK);
        var a = call(port);
        var b = call(port);
        assertThat(a.callee().localAddress()).isEqualTo(port.localAddress());
        assertThat(b.callee().localAddress()).isEqualTo(port.localAddress());
        awaitMediaBothWays(a);
        awaitMediaBothWays(b);

        a.callee().close();
        // B's call goes on over the port; A's caller, still sending, reaches nobody
        awaitMediaBothWays(b);
        await().atMost(WAIT).until(() -> port.unroutable() > 10);
        assertThat(port.rebound()).isZero();

        port.close();
        assertThat(b.callee().isClosed()).isTrue();
        assertThatThrownBy(() -> b.callee().sendRaw(new byte[] {0}, port.localAddress()))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void dropsWhatNoPhoneClaimsAndClosesWithItsHost() throws Exception {
        var port = host.openSharedPort(LOOPBACK);
        var a = call(port);
        awaitMediaBothWays(a);
        var stray = host.newPhone(LOOPBACK, PhoneOptions.defaults());

        // media from an address no phone holds, a check for a ufrag no phone has
        assertThat(stray.sendRaw(new byte[] {(byte) 0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, port.localAddress()))
                .isTrue();
        await().atMost(WAIT).until(() -> port.unroutable() == 1);
        byte[] check = StunMessage.builder(
                        StunMessage.BINDING_REQUEST, TransactionId.random().bytes())
                .username("nosuchufrag:stray")
                .priority(2122260223L)
                .iceControlling(1)
                .useCandidate(true)
                .encode("nosuchpassword".getBytes(StandardCharsets.UTF_8));
        assertThat(stray.sendRaw(check, port.localAddress())).isTrue();
        await().atMost(WAIT).until(() -> port.unroutable() == 2);
        assertThat(a.callee().stats().badStun()).isZero();
        awaitMediaBothWays(a);

        host.close();
        assertThat(a.callee().isClosed()).isTrue();
        assertThatThrownBy(() -> a.callee().sendRaw(new byte[] {0}, port.localAddress()))
                .isInstanceOf(UncheckedIOException.class);
    }

    /** Calls a new phone on {@code port} from a new caller and waits for both to connect. */
    private Call call(SharedPhonePort port) throws Exception {
        var caller = host.newPhone(LOOPBACK, PhoneOptions.defaults());
        var callee = host.newPhone(port, PhoneOptions.defaults());
        String answer = callee.answerOffer(caller.fullIceOffer(), true);
        callee.pickUp();
        caller.acceptIceLiteAnswer(answer);
        assertThat(caller.awaitConnected(WAIT)).isTrue();
        assertThat(callee.awaitConnected(WAIT)).isTrue();
        return new Call(caller, callee);
    }

    /** Ten more media datagrams reach each side of {@code call}. */
    private static void awaitMediaBothWays(Call call) {
        long toCallee = call.callee().mediaDatagramsReceived();
        long toCaller = call.caller().mediaDatagramsReceived();
        await().atMost(WAIT)
                .until(() -> call.callee().mediaDatagramsReceived() > toCallee + 10
                        && call.caller().mediaDatagramsReceived() > toCaller + 10);
    }
}
