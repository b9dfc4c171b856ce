package dev.voicebridge.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/** The DTLS 1.2 client side of DTLS-SRTP: offers use_srtp, verifies the server's fingerprint. */
final class SrtpTlsClient extends DefaultTlsClient {
    private final DtlsEndpoint endpoint;
    private final PeerCertificateCheck check;
    private final int initialResendMillis;
    private volatile SrtpProfile selected;
    private volatile SrtpKeyingMaterial keyingMaterial;

    SrtpTlsClient(DtlsEndpoint endpoint, PeerCertificateCheck check, int initialResendMillis) {
        super(endpoint.crypto());
        this.endpoint = endpoint;
        this.check = check;
        this.initialResendMillis = initialResendMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return endpoint.handshakeTimeoutMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return initialResendMillis;
    }

    @Override
    public Hashtable<Integer, byte[]> getClientExtensions() throws IOException {
        @SuppressWarnings("unchecked")
        Hashtable<Integer, byte[]> extensions = TlsExtensionsUtil.copy(super.getClientExtensions());
        int[] ids = endpoint.profiles().stream().mapToInt(SrtpProfile::id).toArray();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData data = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        // RFC 5764 §4.1.1: the server answers with exactly one of the offered profiles.
        if (data == null || data.getProtectionProfiles().length != 1) {
            check.noCommonProfile();
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server did not select an SRTP profile");
        }
        SrtpProfile profile = SrtpProfile.byId(data.getProtectionProfiles()[0]);
        if (profile == null || !endpoint.profiles().contains(profile)) {
            check.noCommonProfile();
            throw new TlsFatalAlert(
                    AlertDescription.illegal_parameter, "server selected an SRTP profile we did not offer");
        }
        selected = profile;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                check.verify(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return endpoint.signer(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (selected == null) {
            check.noCommonProfile();
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP profile negotiated");
        }
        byte[] material = context.exportKeyingMaterial(
                ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.exporterLength(selected));
        keyingMaterial = SrtpKeyingMaterial.fromExporter(selected, material);
    }

    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }
}
