package dev.voicebridge.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DtlsEndpointTest {
    private static final DtlsIdentity CLIENT_ID = DtlsIdentity.generate("client", Duration.ofDays(1));
    private static final DtlsIdentity SERVER_ID = DtlsIdentity.generate("server", Duration.ofDays(1));
    private static final List<SrtpProfile> BOTH =
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    private static final List<SrtpProfile> CM_ONLY = List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80);

    @Test
    void handshakeExportsTheSameKeysOnBothSidesAndPrefersGcm() throws Exception {
        var pair = new InMemoryDatagramPair(i -> false);
        var result = handshake(pair, BOTH, BOTH, SERVER_ID.fingerprint(), CLIENT_ID.fingerprint());

        DtlsConnection server = result.server.get(20, TimeUnit.SECONDS);
        DtlsConnection client = result.client.get(20, TimeUnit.SECONDS);
        assertThat(client.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(server.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(client.keys().localKey(DtlsRole.CLIENT))
                .isEqualTo(server.keys().remoteKey(DtlsRole.SERVER));
        assertThat(client.keys().remoteSalt(DtlsRole.CLIENT))
                .isEqualTo(server.keys().localSalt(DtlsRole.SERVER));
        assertThat(client.keys().localKey(DtlsRole.CLIENT))
                .isNotEqualTo(client.keys().remoteKey(DtlsRole.CLIENT));
        assertThat(client.keys().localKey(DtlsRole.CLIENT)).hasSize(16);
        assertThat(client.keys().localSalt(DtlsRole.CLIENT)).hasSize(12);
        assertThat(client.handshakeDuration()).isPositive();
    }

    @Test
    void serverThatOnlySupportsCmSelectsIt() throws Exception {
        var pair = new InMemoryDatagramPair(i -> false);
        var result = handshake(pair, BOTH, CM_ONLY, SERVER_ID.fingerprint(), CLIENT_ID.fingerprint());
        DtlsConnection client = result.client.get(20, TimeUnit.SECONDS);
        assertThat(client.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(client.keys().localSalt(DtlsRole.CLIENT)).hasSize(14);
    }

    @Test
    void eachClientFlightLeavesInOneDatagramSoItCannotBeReordered() throws Exception {
        var clientDatagrams = new java.util.concurrent.atomic.AtomicInteger();
        var pair = new InMemoryDatagramPair(i -> {
            clientDatagrams.incrementAndGet();
            return false;
        });
        var result = handshake(pair, BOTH, BOTH, SERVER_ID.fingerprint(), CLIENT_ID.fingerprint());
        result.client.get(20, TimeUnit.SECONDS);
        result.server.get(20, TimeUnit.SECONDS);
        // ClientHello; then Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and
        // Finished, five records in one datagram.
        assertThat(clientDatagrams.get()).isEqualTo(2);
        assertThat(pair.client.packedDatagrams()).isEqualTo(2);
        assertThat(pair.server.packedDatagrams()).isEqualTo(2);
    }

    /** What the shared port lets through to a handshake: every datagram real DTLS peers send. */
    @Test
    void everyDatagramOfARealHandshakeAndCloseIsWellFormedRecords() throws Exception {
        var pair = new InMemoryDatagramPair(i -> false);
        var result = handshake(pair, BOTH, BOTH, SERVER_ID.fingerprint(), CLIENT_ID.fingerprint());
        DtlsConnection client = result.client.get(20, TimeUnit.SECONDS);
        result.server.get(20, TimeUnit.SECONDS);
        client.close(); // close_notify: an encrypted alert record
        org.awaitility.Awaitility.await().until(() -> pair.wire.size() >= 5);
        assertThat(pair.wire).allSatisfy(d -> assertThat(DtlsRecords.wellFormed(d, 0, d.length))
                .as("%s", HexFormat.of().formatHex(d, 0, Math.min(d.length, 16)))
                .isTrue());
    }

    @Test
    void handshakeSurvivesALostFlight() throws Exception {
        // Drop the client's second datagram once: BouncyCastle retransmits the flight.
        var pair = new InMemoryDatagramPair(i -> i == 1);
        var result = handshake(pair, BOTH, BOTH, SERVER_ID.fingerprint(), CLIENT_ID.fingerprint());
        assertThat(result.client.get(20, TimeUnit.SECONDS).keys()).isNotNull();
        // The final flight went twice; the server's answer to the first copy never came.
        assertThat(pair.client.retransmissions()).isEqualTo(1);
    }

    @Test
    void aCleanHandshakeResendsNothing() throws Exception {
        var pair = new InMemoryDatagramPair(i -> false);
        var result = handshake(pair, BOTH, BOTH, SERVER_ID.fingerprint(), CLIENT_ID.fingerprint());
        result.client.get(20, TimeUnit.SECONDS);
        result.server.get(20, TimeUnit.SECONDS);
        assertThat(pair.client.retransmissions()).isZero();
        assertThat(pair.server.retransmissions()).isZero();
        // BouncyCastle's default: with a peer of unknown round trip the first resend waits a second.
        assertThat(pair.client.firstWaitMillis()).isBetween(900, 1000);
    }

    /**
     * A ClientHello that reaches the peer before it can take it (it has not got our answer yet)
     * is lost. With the initial resend timer taken from the ICE round trip it goes again after
     * that timer, not after BouncyCastle's default second; the resend is counted.
     */
    @Test
    void aClientHelloThePeerWasNotReadyForIsResentAfterTheGivenTimer() throws Exception {
        var pair = new InMemoryDatagramPair(i -> i == 0);
        var clientEndpoint = new DtlsEndpoint(CLIENT_ID, BOTH, Duration.ofSeconds(10));
        var serverEndpoint = new DtlsEndpoint(SERVER_ID, BOTH, Duration.ofSeconds(10));
        var server = run(() -> serverEndpoint.accept(pair.server, CLIENT_ID.fingerprint()));
        var client = run(() -> clientEndpoint.connect(pair.client, SERVER_ID.fingerprint(), Duration.ofMillis(50)));
        assertThat(client.get(20, TimeUnit.SECONDS).keys()).isNotNull();
        server.get(20, TimeUnit.SECONDS);
        assertThat(pair.client.firstWaitMillis()).isBetween(1, 50);
        assertThat(pair.client.retransmissions()).isGreaterThanOrEqualTo(1);
        assertThat(pair.server.retransmissions()).isZero();
    }

    @Test
    void serverFingerprintMismatchFailsClosedOnTheClient() {
        var pair = new InMemoryDatagramPair(i -> false);
        var other = DtlsIdentity.generate("impostor", Duration.ofDays(1)).fingerprint();
        var result = handshake(pair, BOTH, BOTH, other, CLIENT_ID.fingerprint());
        assertThatThrownBy(() -> result.client.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(DtlsHandshakeException.class, e -> assertThat(e.failure())
                        .isEqualTo(DtlsFailure.FINGERPRINT_MISMATCH));
    }

    @Test
    void aFingerprintWeakerThanSha256IsNeverTrustedEvenWhenItMatches() throws Exception {
        var pair = new InMemoryDatagramPair(i -> false);
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(SERVER_ID.certificateDer());
        var weak = new Fingerprint("sha-1", HexFormat.ofDelimiter(":").formatHex(sha1));
        assertThat(weak.matches(SERVER_ID.certificateDer())).isTrue();
        var result = handshake(pair, BOTH, BOTH, weak, CLIENT_ID.fingerprint());
        assertThatThrownBy(() -> result.client.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(DtlsHandshakeException.class, e -> assertThat(e.failure())
                        .isEqualTo(DtlsFailure.FINGERPRINT_MISMATCH));
    }

    @Test
    void clientFingerprintMismatchFailsOnTheServerAndTheClientSeesTheAlert() {
        var pair = new InMemoryDatagramPair(i -> false);
        var other = DtlsIdentity.generate("impostor", Duration.ofDays(1)).fingerprint();
        var result = handshake(pair, BOTH, BOTH, SERVER_ID.fingerprint(), other);
        assertThatThrownBy(() -> result.server.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(DtlsHandshakeException.class, e -> assertThat(e.failure())
                        .isEqualTo(DtlsFailure.FINGERPRINT_MISMATCH));
        assertThatThrownBy(() -> result.client.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(DtlsHandshakeException.class);
    }

    @Test
    void silentPeerTimesOutWithinTheBound() {
        var transport = new QueueDatagramTransport((b, o, l) -> {}, 8);
        var endpoint = new DtlsEndpoint(CLIENT_ID, BOTH, Duration.ofMillis(1500));
        long start = System.nanoTime();
        assertThatThrownBy(() -> endpoint.connect(transport, SERVER_ID.fingerprint()))
                .isInstanceOfSatisfying(DtlsHandshakeException.class, e -> assertThat(e.failure())
                        .isEqualTo(DtlsFailure.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void abortDuringHandshakeReportsTransportClosed() throws Exception {
        var sent = new java.util.concurrent.atomic.AtomicInteger();
        var transport = new QueueDatagramTransport((b, o, l) -> sent.incrementAndGet(), 8);
        var endpoint = new DtlsEndpoint(CLIENT_ID, BOTH, Duration.ofSeconds(10));
        var future = CompletableFuture.supplyAsync(() -> {
            try {
                return endpoint.connect(transport, SERVER_ID.fingerprint());
            } catch (DtlsHandshakeException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() > 0);
        transport.abort();
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(DtlsHandshakeException.class, e -> assertThat(e.failure())
                        .isEqualTo(DtlsFailure.TRANSPORT_CLOSED));
    }

    @Test
    void fingerprintFormatsAndParsesSdpValues() {
        var fp = SERVER_ID.fingerprint();
        assertThat(fp.toSdpValue()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Fingerprint.parse(fp.toSdpValue().toLowerCase(java.util.Locale.ROOT)))
                .isEqualTo(fp);
        assertThatThrownBy(() -> Fingerprint.parse("md5 AA:BB")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 zz")).isInstanceOf(IllegalArgumentException.class);
    }

    private record Handshake(CompletableFuture<DtlsConnection> client, CompletableFuture<DtlsConnection> server) {}

    private static Handshake handshake(
            InMemoryDatagramPair pair,
            List<SrtpProfile> clientProfiles,
            List<SrtpProfile> serverProfiles,
            Fingerprint expectedServer,
            Fingerprint expectedClient) {
        var clientEndpoint = new DtlsEndpoint(CLIENT_ID, clientProfiles, Duration.ofSeconds(10));
        var serverEndpoint = new DtlsEndpoint(SERVER_ID, serverProfiles, Duration.ofSeconds(10));
        var server = run(() -> serverEndpoint.accept(pair.server, expectedClient));
        var client = run(() -> clientEndpoint.connect(pair.client, expectedServer));
        return new Handshake(client, server);
    }

    private interface Handshaking {
        DtlsConnection run() throws DtlsHandshakeException;
    }

    private static CompletableFuture<DtlsConnection> run(Handshaking h) {
        var future = new CompletableFuture<DtlsConnection>();
        Thread.ofVirtual().name("dtls-test").start(() -> {
            try {
                future.complete(h.run());
            } catch (DtlsHandshakeException | RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }
}
