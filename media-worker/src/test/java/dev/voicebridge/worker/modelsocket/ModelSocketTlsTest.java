package dev.voicebridge.worker.modelsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wss}: the model socket over TLS, with the peer's certificate checked. The hosted model
 * services are only reachable this way; the fakes in the other tests speak plain {@code ws}.
 */
class ModelSocketTlsTest {
    private static SSLContext server;
    private static SSLContext trusting;

    /** A self-signed P-256 certificate for 127.0.0.1 (subject alternative name, as RFC 2818 asks). */
    @BeforeAll
    static void certificate() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var keys = generator.generateKeyPair();
        var name = new X500Name("CN=model.test");
        var now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofDays(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic())
                .addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);

        char[] password = "test".toCharArray();
        var keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("model", keys.getPrivate(), password, new X509Certificate[] {cert});
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, password);
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        var trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("model", cert);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    @Test
    void talksBothWaysOverTlsToAPeerItTrusts() throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        try (var peer = new RawWebSocketPeer(server)) {
            var opening = new ModelSocket(trusting, null, Duration.ofSeconds(10), 1 << 20)
                    .open(peer.uri(), "sk-tls", new ModelSocket.Listener() {
                        @Override
                        public void onText(CharSequence text) {
                            texts.add(text.toString());
                        }

                        @Override
                        public void onClosed(int code, String reason) {}
                    });
            var conn = peer.accept();
            var channel = opening.get(10, TimeUnit.SECONDS);
            assertThat(conn.headers()).containsEntry("authorization", "Bearer sk-tls");

            channel.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}");
            var frame = conn.read();
            assertThat(frame.masked()).isTrue();
            assertThat(frame.text()).isEqualTo("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\"}");
            conn.sendText("{\"type\":\"session.created\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> texts.size() == 1);
            assertThat(texts).containsExactly("{\"type\":\"session.created\"}");
        }
    }

    @Test
    void theWorkersClientRefusesACertificateItDoesNotTrust() throws Exception {
        try (var peer = new RawWebSocketPeer(server)) {
            var opening = new ModelSocket(Duration.ofSeconds(10), 1 << 20).open(peer.uri(), "sk-tls", null);
            Thread.ofVirtual().start(() -> {
                try (var conn = peer.accept()) {
                    // the handshake fails on the client's side; nothing to serve
                } catch (Exception expected) {
                    // the client hung up during the TLS handshake
                }
            });
            assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }
}
