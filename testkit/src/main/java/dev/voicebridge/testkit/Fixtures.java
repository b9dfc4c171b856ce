package dev.voicebridge.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
}
