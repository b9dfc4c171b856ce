package dev.voicebridge.worker.ice;

import dev.voicebridge.media.sdp.IceCandidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A remote UDP candidate we can send checks to: literal IP only (no DNS, no mDNS {@code .local}). */
public record RemoteCandidate(InetSocketAddress address, long priority, String type, String foundation) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /**
     * The candidate as an address we could send to, or null when it is not one: not UDP, not
     * component 1 (rtcp-mux), no port, or not an IP literal — resolving a name here would be a DNS
     * lookup on the call path, chosen by whoever wrote the offer.
     */
    public static RemoteCandidate of(IceCandidate c) {
        if (!c.isUdp() || c.component() != 1 || c.port() <= 0 || c.port() > 65535) {
            return null;
        }
        String a = c.address();
        if (!IPV4.matcher(a).matches() && !IPV6.matcher(a).matches()) {
            return null;
        }
        try {
            return new RemoteCandidate(
                    new InetSocketAddress(InetAddress.getByName(a), c.port()), c.priority(), c.type(), c.foundation());
        } catch (UnknownHostException e) {
            return null; // a malformed literal
        }
    }
}
