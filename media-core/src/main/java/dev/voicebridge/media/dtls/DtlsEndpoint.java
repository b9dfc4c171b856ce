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

    private final DtlsIdentity identity;
    private final List<SrtpProfile> profiles;
    private final Duration handshakeTimeout;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

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
    }

    public DtlsIdentity identity() {
        return identity;
    }

    /** DTLS client handshake; the peer's certificate must match {@code peerFingerprint}. */
    public DtlsConnection connect(QueueDatagramTransport transport, Fingerprint peerFingerprint)
            throws DtlsHandshakeException {
        var check = new PeerCertificateCheck(peerFingerprint);
        var client = new SrtpTlsClient(this, check);
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

    TlsCredentialedSigner signer(TlsContext context) throws IOException {
        TlsCertificate certificate = crypto.createCertificate(identity.certificateDer());
        return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(context),
                crypto,
                identity.privateKey(),
                new Certificate(new TlsCertificate[] {certificate}),
                ECDSA_SHA256);
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
