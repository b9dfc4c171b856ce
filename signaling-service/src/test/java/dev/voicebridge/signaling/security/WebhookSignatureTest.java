package dev.voicebridge.signaling.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.config.SecretValue;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    static final String SECRET = "s3cret";
    final WebhookSignature signature = new WebhookSignature(SecretValue.of(SECRET));
    final byte[] body = Fixtures.read("whatsapp-connect.json").getBytes(StandardCharsets.UTF_8);

    static ProblemCode codeOf(Runnable r) {
        try {
            r.run();
        } catch (ProblemException e) {
            return e.code();
        }
        return null;
    }

    @Test
    void acceptsTheHmacOfTheRawBytesInAnyHexCase() {
        String header = signature.header(body);
        assertThat(header).matches("sha256=[0-9a-f]{64}");
        assertThatCode(() -> signature.verify(header, body)).doesNotThrowAnyException();
        assertThatCode(() -> signature.verify("SHA256=" + header.substring(7).toUpperCase(Locale.ROOT), body))
                .doesNotThrowAnyException();
    }

    @Test
    void knownVector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var jefe = new WebhookSignature(SecretValue.of("Jefe"));
        assertThat(jefe.header("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void refusesMissingMalformedWrongAndTamperedSignatures() {
        assertThat(codeOf(() -> signature.verify(null, body))).isEqualTo(ProblemCode.SIGNATURE_MISSING);
        assertThat(codeOf(() -> signature.verify("  ", body))).isEqualTo(ProblemCode.SIGNATURE_MISSING);
        assertThat(codeOf(() -> signature.verify("sha1=abcd", body))).isEqualTo(ProblemCode.SIGNATURE_INVALID);
        assertThat(codeOf(() -> signature.verify("sha256=not-hex", body))).isEqualTo(ProblemCode.SIGNATURE_INVALID);
        assertThat(codeOf(() -> signature.verify("sha256=abcd", body))).isEqualTo(ProblemCode.SIGNATURE_INVALID);
        String other = new WebhookSignature(SecretValue.of("other")).header(body);
        assertThat(codeOf(() -> signature.verify(other, body))).isEqualTo(ProblemCode.SIGNATURE_INVALID);
        byte[] tampered = body.clone();
        tampered[tampered.length / 2] ^= 1;
        assertThat(codeOf(() -> signature.verify(signature.header(body), tampered)))
                .isEqualTo(ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void aSignatureOverReserializedJsonDoesNotVerifyTheRawBody() throws Exception {
        var json = new ObjectMapper();
        byte[] reserialized = json.writeValueAsBytes(json.readTree(body));
        assertThat(reserialized).isNotEqualTo(body);
        assertThat(codeOf(() -> signature.verify(signature.header(reserialized), body)))
                .isEqualTo(ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEmptySecretRefusesEverything() {
        var unset = new WebhookSignature(SecretValue.of(""));
        assertThatThrownBy(() -> unset.verify("sha256=" + "0".repeat(64), body)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> unset.verify(unset.header(body), body)).isInstanceOf(ProblemException.class);
    }
}
