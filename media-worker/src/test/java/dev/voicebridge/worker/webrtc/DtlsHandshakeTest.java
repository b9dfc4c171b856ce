package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.media.dtls.DtlsConnection;
import dev.voicebridge.media.dtls.DtlsEndpoint;
import dev.voicebridge.media.dtls.DtlsFailure;
import dev.voicebridge.media.dtls.DtlsIdentity;
import dev.voicebridge.media.dtls.QueueDatagramTransport;
import dev.voicebridge.media.dtls.SrtpProfile;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our side of DTLS in the server role, against a real client on loopback: the client's first
 * flight can arrive before our side of ICE has the pair and the handshake has started (OpenAI
 * answers {@code a=setup:active} and sends its ClientHello as soon as its side has it).
 */
class DtlsHandshakeTest {
    private static final DtlsIdentity SERVER = DtlsIdentity.generate("server", Duration.ofDays(1));
    private static final DtlsIdentity CLIENT = DtlsIdentity.generate("client", Duration.ofDays(1));
    private static final List<SrtpProfile> PROFILES =
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80);

    @Test
    void aClientHelloFromBeforeTheStartIsAnsweredWithoutTheClientSendingItAgain() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        var fromClient = new LinkedBlockingQueue<byte[]>();
        var clientQueue = new QueueDatagramTransport((b, o, l) -> fromClient.add(Arrays.copyOfRange(b, o, o + l)), 64);
        try (SharedUdpPort port = SharedUdpPort.open(new InetSocketAddress("127.0.0.1", 0), 1 << 20, 256);
                DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            var handshake =
                    new DtlsHandshake("early", new DtlsEndpoint(SERVER, PROFILES, Duration.ofSeconds(10)), port, owner);
            // The client connects with RFC 6347's one-second first resend, as BouncyCastle does.
            CompletableFuture<DtlsConnection> clientUp = CompletableFuture.supplyAsync(() -> {
                try {
                    return new DtlsEndpoint(CLIENT, PROFILES, Duration.ofSeconds(10))
                            .connect(clientQueue, SERVER.fingerprint(), Duration.ofSeconds(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] hello = fromClient.poll(5, TimeUnit.SECONDS);
            assertThat(hello).as("the ClientHello").isNotNull();
            owner.submit(() -> handshake.offer(hello)).get();

            // Only now does our side start; what it sends goes to the client's socket.
            var serverUp = new CompletableFuture<DtlsConnection>();
            var to = (InetSocketAddress) client.getLocalAddress();
            owner.submit(() -> handshake.start(to, CLIENT.fingerprint(), false, null, new DtlsHandshake.Outcome() {
                        @Override
                        public void connected(DtlsConnection connection) {
                            serverUp.complete(connection);
                        }

                        @Override
                        public void closed() {}

                        @Override
                        public void failed(DtlsFailure failure) {
                            serverUp.completeExceptionally(new IllegalStateException(failure.name()));
                        }
                    }))
                    .get();
            Thread.ofVirtual().start(() -> {
                var buffer = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        buffer.clear();
                        client.receive(buffer);
                        buffer.flip();
                        byte[] datagram = new byte[buffer.remaining()];
                        buffer.get(datagram);
                        clientQueue.offer(datagram);
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            Thread pumpToServer = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        byte[] datagram = fromClient.take();
                        owner.execute(() -> handshake.offer(datagram));
                    }
                } catch (InterruptedException over) {
                    // the test is over
                }
            });
            try {
                assertThat(serverUp.get(10, TimeUnit.SECONDS)).isNotNull();
                assertThat(clientUp.get(10, TimeUnit.SECONDS)).isNotNull();
                assertThat(handshake.earlyRecords()).isEqualTo(1);
                assertThat(clientQueue.retransmissions())
                        .as("the client never had to send its first flight again")
                        .isZero();
            } finally {
                pumpToServer.interrupt();
                owner.submit(handshake::close).get();
            }
        } finally {
            owner.shutdownNow();
        }
    }
}
