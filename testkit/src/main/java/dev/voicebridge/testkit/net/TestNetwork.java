package dev.voicebridge.testkit.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Assumptions;

/**
 * The private network namespace media and end-to-end tests run in (the failsafe JVM wrapper
 * media-worker/src/test/netns/bin/java creates it): a veth pair between the worker's and the
 * phones' addresses. Tests bind only to these, never to the host's interfaces.
 */
public final class TestNetwork {
    /** Where workers bind their media. */
    public static final String WORKER = "10.77.0.1";
    /** Where synthetic phones and test peers bind. */
    public static final String PHONE = "10.77.0.2";

    private TestNetwork() {}

    /** Skips the calling test unless it runs inside the namespace. */
    public static void requireNamespace() {
        Assumptions.assumeTrue(inside(), "runs only inside the test network namespace (failsafe netns wrapper)");
    }

    private static boolean inside() {
        try {
            return "1".equals(System.getenv("VOICEBRIDGE_IN_NETNS"))
                    && NetworkInterface.getByInetAddress(InetAddress.getByName(WORKER)) != null;
        } catch (SocketException | UnknownHostException e) {
            return false;
        }
    }
}
