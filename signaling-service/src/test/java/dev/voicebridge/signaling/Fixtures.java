package dev.voicebridge.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The shared real-traffic fixtures, with the call id or timestamp swapped where a test needs it. */
public final class Fixtures {
    public static final String FIXTURE_CALL_ID = dev.voicebridge.testkit.Fixtures.FIXTURE_CALL_ID;
    public static final String FIXTURE_TIMESTAMP = dev.voicebridge.testkit.Fixtures.FIXTURE_TIMESTAMP;
    public static final String TERMINATE_TIMESTAMP = dev.voicebridge.testkit.Fixtures.TERMINATE_TIMESTAMP;

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
        return dev.voicebridge.testkit.Fixtures.connect(callId, epochSeconds);
    }

    public static String terminate(String callId, long epochSeconds) {
        return dev.voicebridge.testkit.Fixtures.terminate(callId, epochSeconds);
    }
}
