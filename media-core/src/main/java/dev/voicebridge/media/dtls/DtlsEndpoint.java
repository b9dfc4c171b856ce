package dev.voicebridge.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Runs DTLS-SRTP handshakes (RFC 5764) with one identity: {@link #connect} as the client (the
 * worker answering an offer, {@code a=setup:active}) and {@link #accept} as the server (test
 * phones, and the worker on a call it offered when the answer says {@code active}). Both
 * block the calling thread until the handshake ends, so callers run them on a virtual thread,
 * never on the receive loop or the pacer. Thread-safe; one instance serves many calls.
 */
public final class DtlsEndpoint {
    static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    /** RFC 6347 §4.2.4.1's initial resend timer, BouncyCastle's default: for a peer of unknown RTT. */
    public static final Duration DEFAULT_INITIAL_RESEND = Duration.ofSeconds(1);

    private final DtlsIdentity identity;
    private final List<SrtpProfile> profiles;
    private final Duration handshakeTimeout;
    // BouncyCastle's own EC arithmetic: measured faster here than the JDK's SunEC through
    // JcaTlsCrypto for P-256 key generation, ECDH and ECDSA (docs/benchmarks.md, "Call setup").
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    /** Our certificate chain, parsed once: every handshake sends the same one. */
    private final Certificate chain;

    /**
     * @param profiles SRTP profiles in order of preference (the client offers them in this order,
     *     the server picks its first one the client offered)
     * @param handshakeTimeout bound on the whole handshake including retransmissions
     */
    public DtlsEndpoint(DtlsIdentity identity, List<SrtpProfile> profiles, Duration handshakeTimeout) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("At least one SRTP profile is required");
        }
        this.identity = identity;
        this.profiles = List.copyOf(profiles);
        this.handshakeTimeout = handshakeTimeout;
        try {
            this.chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(identity.certificateDer())});
        } catch (IOException e) {
            throw new IllegalStateException("our own DTLS certificate does not parse", e);
        }
    }

    public DtlsIdentity identity() {
        return identity;
    }

    /** DTLS client handshake; the peer's certificate must match {@code peerFingerprint}. */
    public DtlsConnection connect(QueueDatagramTransport transport, Fingerprint peerFingerprint)
            throws DtlsHandshakeException {
        return connect(transport, peerFingerprint, DEFAULT_INITIAL_RESEND);
    }

    /**
     * DTLS client handshake whose first flight is resent after {@code initialResend} (doubling
     * after each resend, RFC 6347 §4.2.4.1) instead of the default second: for a peer whose round
     * trip time is known, e.g. from ICE, as libwebrtc does (twice the RTT, at least 50 ms). A
     * ClientHello that reaches the peer before it is ready for it (it has no answer yet) then costs
     * a few round trips, not a second.
     */
    public DtlsConnection connect(QueueDatagramTransport transport, Fingerprint peerFingerprint, Duration initialResend)
            throws DtlsHandshakeException {
        var check = new PeerCertificateCheck(peerFingerprint);
        var client = new SrtpTlsClient(this, check, (int) Math.max(1, initialResend.toMillis()));
        return handshake(
                DtlsRole.CLIENT,
                transport,
                check,
                () -> new DTLSClientProtocol().connect(client, transport),
                client::keyingMaterial);
    }

    /** DTLS server handshake; the client's certificate must match {@code peerFingerprint}. */
    public DtlsConnection accept(QueueDatagramTransport transport, Fingerprint peerFingerprint)
            throws DtlsHandshakeException {
        var check = new PeerCertificateCheck(peerFingerprint);
        var server = new SrtpTlsServer(this, check);
        return handshake(
                DtlsRole.SERVER,
                transport,
                check,
                () -> new DTLSServerProtocol().accept(server, transport),
                server::keyingMaterial);
    }

    private interface Protocol {
        DTLSTransport run() throws IOException;
    }

    private static DtlsConnection handshake(
            DtlsRole role,
            QueueDatagramTransport transport,
            PeerCertificateCheck check,
            Protocol protocol,
            Supplier<SrtpKeyingMaterial> keys)
            throws DtlsHandshakeException {
        long start = System.nanoTime();
        try {
            DTLSTransport dtls = protocol.run();
            transport.endHandshake();
            return new DtlsConnection(role, dtls, transport, keys.get(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | RuntimeException e) {
            var failure = classify(e, check, transport);
            transport.endHandshake(); // the alert BouncyCastle wrote goes out
            transport.close();
            throw failure;
        }
    }

    private static DtlsHandshakeException classify(
            Exception e, PeerCertificateCheck check, QueueDatagramTransport transport) {
        DtlsFailure reason;
        if (check.failure() != null) {
            reason = check.failure();
        } else if (e instanceof TlsTimeoutException || e instanceof InterruptedIOException) {
            reason = DtlsFailure.TIMEOUT;
        } else if (e instanceof TlsFatalAlertReceived received) {
            reason = received.getAlertDescription() == AlertDescription.bad_certificate
                    ? DtlsFailure.FINGERPRINT_MISMATCH
                    : DtlsFailure.PEER_ALERT;
        } else if (transport.isAborted()) {
            reason = DtlsFailure.TRANSPORT_CLOSED;
        } else {
            reason = DtlsFailure.PROTOCOL_ERROR;
        }
        return new DtlsHandshakeException(reason, String.valueOf(e.getMessage()), e);
    }

    List<SrtpProfile> profiles() {
        return profiles;
    }

    int handshakeTimeoutMillis() {
        return (int) handshakeTimeout.toMillis();
    }

    BcTlsCrypto crypto() {
        return crypto;
    }

    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(context), crypto, identity.privateKey(), chain, ECDSA_SHA256);
    }

    /** WebRTC requires mutual authentication: the server always asks for the client's certificate. */
    static CertificateRequest certificateRequest() {
        var algorithms = new java.util.Vector<SignatureAndHashAlgorithm>();
        algorithms.add(ECDSA_SHA256);
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(
                new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign}, algorithms, null);
    }
}
