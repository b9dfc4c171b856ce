package dev.voicebridge.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * The DTLS 1.2 server side of DTLS-SRTP, used by test phones (WhatsApp's role): picks its first
 * preferred profile the client offered, requires and verifies the client's certificate.
 */
final class SrtpTlsServer extends DefaultTlsServer {
    private final DtlsEndpoint endpoint;
    private final PeerCertificateCheck check;
    private volatile SrtpProfile selected;
    private volatile SrtpKeyingMaterial keyingMaterial;

    SrtpTlsServer(DtlsEndpoint endpoint, PeerCertificateCheck check) {
        super(endpoint.crypto());
        this.endpoint = endpoint;
        this.check = check;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return endpoint.handshakeTimeoutMillis();
    }

    /** Our certificate is ECDSA, so only ECDHE_ECDSA suites can be served. */
    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
        });
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return endpoint.signer(context);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered != null) {
            for (SrtpProfile preferred : endpoint.profiles()) {
                for (int id : offered.getProtectionProfiles()) {
                    if (id == preferred.id()) {
                        selected = preferred;
                        return;
                    }
                }
            }
        }
        check.noCommonProfile();
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP profile");
    }

    @Override
    public Hashtable<Integer, byte[]> getServerExtensions() throws IOException {
        Hashtable<Integer, byte[]> extensions = TlsExtensionsUtil.copy(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {selected.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        return DtlsEndpoint.certificateRequest();
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        check.verify(clientCertificate);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] material = context.exportKeyingMaterial(
                ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.exporterLength(selected));
        keyingMaterial = SrtpKeyingMaterial.fromExporter(selected, material);
    }

    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }
}
