package dev.voicebridge.worker.session;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** The namespace's veth addresses; tests refuse to run outside the namespace (never the host's NIC). */
final class NetnsAddresses {
    static final String WORKER = "10.77.0.1";
    static final String PHONE = "10.77.0.2";

    private NetnsAddresses() {}

    static void requireNamespace() {
        boolean present;
        try {
            present = NetworkInterface.getByInetAddress(InetAddress.getByName(WORKER)) != null
                    && "1".equals(System.getenv("VOICEBRIDGE_IN_NETNS"));
        } catch (SocketException | java.net.UnknownHostException e) {
            present = false;
        }
        assumeThat(present)
                .as("runs only inside the test network namespace (failsafe netns wrapper)")
                .isTrue();
    }
}
