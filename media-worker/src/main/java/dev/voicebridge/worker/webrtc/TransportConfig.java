package dev.voicebridge.worker.webrtc;

import dev.voicebridge.media.dtls.SrtpProfile;
import dev.voicebridge.worker.ice.CandidatePolicy;
import dev.voicebridge.worker.ice.CheckLimits;
import dev.voicebridge.worker.ice.IceConfig;
import java.time.Duration;
import java.util.List;

/**
 * The media transport's configuration surface (documented in docs/media-transport.md).
 *
 * @param bindAddress address the shared UDP port binds to (default {@code 0.0.0.0})
 * @param port the one UDP port all calls share (default 3478; 0 = any free port, for tests)
 * @param advertisedAddresses addresses put in our candidates: the node or public IP, or a static
 *     NAT mapping's public side; empty = the bind address (which then must not be a wildcard)
 * @param ice ICE check and consent timing
 * @param dtlsHandshakeTimeout bound on the DTLS handshake (default 10 s)
 * @param mediaTimeout from session start to DTLS-SRTP up, or the call ends with MediaTimeout (default 30 s)
 * @param srtpProfiles SRTP profiles offered in the DTLS handshake, in preference order
 * @param callQueueCapacity bound on each call's queue of media datagrams; overflow is dropped and
 *     counted (control messages have their own queue and are never dropped)
 * @param socketBufferBytes SO_RCVBUF/SO_SNDBUF of the shared socket
 * @param sendQueueCapacity datagrams waiting for the port's sender thread; overflow is dropped and
 *     counted
 * @param candidates which remote candidates an offer may name
 * @param checks how much STUN one call's ICE may send
 */
public record TransportConfig(
        String bindAddress,
        int port,
        List<String> advertisedAddresses,
        IceConfig ice,
        Duration dtlsHandshakeTimeout,
        Duration mediaTimeout,
        List<SrtpProfile> srtpProfiles,
        int callQueueCapacity,
        int socketBufferBytes,
        int sendQueueCapacity,
        CandidatePolicy candidates,
        CheckLimits checks) {

    public TransportConfig {
        advertisedAddresses = List.copyOf(advertisedAddresses);
        srtpProfiles = List.copyOf(srtpProfiles);
        if (sendQueueCapacity < 1) {
            throw new IllegalArgumentException("sendQueueCapacity must be positive");
        }
    }

    public static TransportConfig defaults() {
        return new TransportConfig(
                "0.0.0.0",
                3478,
                List.of(),
                IceConfig.defaults(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80),
                1024,
                4 * 1024 * 1024,
                1024,
                CandidatePolicy.defaults(),
                CheckLimits.defaults());
    }

    public TransportConfig withEndpoint(String bind, int port, List<String> advertised) {
        return new TransportConfig(
                bind,
                port,
                advertised,
                ice,
                dtlsHandshakeTimeout,
                mediaTimeout,
                srtpProfiles,
                callQueueCapacity,
                socketBufferBytes,
                sendQueueCapacity,
                candidates,
                checks);
    }

    public TransportConfig withIce(IceConfig value) {
        return new TransportConfig(
                bindAddress,
                port,
                advertisedAddresses,
                value,
                dtlsHandshakeTimeout,
                mediaTimeout,
                srtpProfiles,
                callQueueCapacity,
                socketBufferBytes,
                sendQueueCapacity,
                candidates,
                checks);
    }

    public TransportConfig withTimeouts(Duration dtls, Duration media) {
        return new TransportConfig(
                bindAddress,
                port,
                advertisedAddresses,
                ice,
                dtls,
                media,
                srtpProfiles,
                callQueueCapacity,
                socketBufferBytes,
                sendQueueCapacity,
                candidates,
                checks);
    }

    public TransportConfig withIceLimits(CandidatePolicy candidatePolicy, CheckLimits checkLimits) {
        return new TransportConfig(
                bindAddress,
                port,
                advertisedAddresses,
                ice,
                dtlsHandshakeTimeout,
                mediaTimeout,
                srtpProfiles,
                callQueueCapacity,
                socketBufferBytes,
                sendQueueCapacity,
                candidatePolicy,
                checkLimits);
    }
}
