package dev.voicebridge.media.dtls;

import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Verifies the peer's certificate against the fingerprint from its SDP (RFC 8122 §5, RFC 5763
 * §5): the only trust anchor in WebRTC. A mismatch aborts the handshake with bad_certificate and
 * remembers the typed reason for the caller.
 */
final class PeerCertificateCheck {
    private final Fingerprint expected;
    private volatile DtlsFailure failure;

    PeerCertificateCheck(Fingerprint expected) {
        this.expected = expected;
    }

    void verify(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            failure = DtlsFailure.NO_PEER_CERTIFICATE;
            throw new TlsFatalAlert(AlertDescription.certificate_required, "peer sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        // A hash weaker than SHA-256 pins nothing we are willing to trust: same outcome as a mismatch.
        if (!expected.verifiesDtls() || !expected.matches(der)) {
            failure = DtlsFailure.FINGERPRINT_MISMATCH;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "peer certificate fingerprint mismatch");
        }
    }

    void noCommonProfile() {
        failure = DtlsFailure.NO_COMMON_SRTP_PROFILE;
    }

    /** The recorded reason, if a check of ours (not the TLS stack) failed the handshake. */
    DtlsFailure failure() {
        return failure;
    }
}
