package dev.voicebridge.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Real WhatsApp webhook and SDP samples (addresses and numbers replaced), shipped with testkit so
 * tests do not depend on files outside the repository. For parsing and answer-building tests only:
 * never start ICE towards a fixture's candidates.
 */
public enum Fixtures {
    /** A real {@code calls} webhook, {@code connect} event, with the SDP offer inline. */
    WHATSAPP_CONNECT("whatsapp-connect.json"),
    /** The same offer on its own, CRLF as sent: ICE-lite, actpass, Opus 111, telephone-event 126. */
    WHATSAPP_OFFER("whatsapp-offer.sdp"),
    /** A real {@code terminate} event of a call that got no media (138021), errors at both levels. */
    WHATSAPP_TERMINATE_FAILED("whatsapp-terminate-failed.json"),
    /** An unmodified audio-only offer from Chromium 156 (full ICE, many codecs). */
    CHROMIUM_OFFER("chromium-offer.sdp");

    /** The WhatsApp call id in the connect and terminate fixtures. */
    public static final String FIXTURE_CALL_ID =
            "wacid.HBgMOTE3MzU4NTgwMTgwFQIAEhggQUNEODk3OUQ3NzI4MjZBRTZFNEE2MzU3NDEzNDg4RUUcGAsxNTU1MTQ0MTkwNhUCABUKAA==";

    public static final String FIXTURE_TIMESTAMP = "1760681506";
    public static final String TERMINATE_TIMESTAMP = "1760681533";

    private final String file;

    Fixtures(String file) {
        this.file = file;
    }

    public byte[] bytes() {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + file)) {
            if (in == null) {
                throw new IllegalStateException("fixture missing from testkit: " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture as UTF-8 text, byte for byte (CRLF line endings kept). */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The real connect webhook for {@code callId}, timestamped {@code epochSeconds} (a string, like real traffic). */
    public static String connect(String callId, long epochSeconds) {
        return WHATSAPP_CONNECT
                .text()
                .replace(FIXTURE_CALL_ID, callId)
                .replace("\"" + FIXTURE_TIMESTAMP + "\"", "\"" + epochSeconds + "\"");
    }

    /** The real terminate webhook (a failed call) for {@code callId}, timestamped {@code epochSeconds}. */
    public static String terminate(String callId, long epochSeconds) {
        return WHATSAPP_TERMINATE_FAILED
                .text()
                .replace(FIXTURE_CALL_ID, callId)
                .replace("\"timestamp\": \"" + TERMINATE_TIMESTAMP + "\"", "\"timestamp\": \"" + epochSeconds + "\"");
    }

    /**
     * The {@code X-Hub-Signature-256} header Meta sends with a webhook: {@code sha256=} and the hex
     * HMAC-SHA256 of the raw body, keyed with the app secret.
     */
    public static String signature(String appSecret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }
}
