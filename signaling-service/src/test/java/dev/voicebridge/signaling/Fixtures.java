package dev.voicebridge.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The shared real-traffic fixtures, with the call id or timestamp swapped where a test needs it. */
public final class Fixtures {
    public static final String FIXTURE_CALL_ID =
            "wacid.HBgMOTE3MzU4NTgwMTgwFQIAEhggQUNEODk3OUQ3NzI4MjZBRTZFNEE2MzU3NDEzNDg4RUUcGAsxNTU1MTQ0MTkwNhUCABUKAA==";
    public static final String FIXTURE_TIMESTAMP = "1760681506";
    public static final String TERMINATE_TIMESTAMP = "1760681533";

    private Fixtures() {}

    /** The fixtures testkit ships (copies of the real-traffic samples), by file name. */
    public static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/dev/voicebridge/testkit/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real connect webhook for {@code callId}, timestamped {@code epochSeconds} (as a string, like real traffic). */
    public static String connect(String callId, long epochSeconds) {
        return read("whatsapp-connect.json")
                .replace(FIXTURE_CALL_ID, callId)
                .replace("\"" + FIXTURE_TIMESTAMP + "\"", "\"" + epochSeconds + "\"");
    }

    public static String terminate(String callId, long epochSeconds) {
        return read("whatsapp-terminate-failed.json")
                .replace(FIXTURE_CALL_ID, callId)
                .replace("\"timestamp\": \"" + TERMINATE_TIMESTAMP + "\"", "\"timestamp\": \"" + epochSeconds + "\"");
    }
}
