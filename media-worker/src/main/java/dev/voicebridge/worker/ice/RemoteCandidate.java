package dev.voicebridge.worker.ice;

import dev.voicebridge.media.sdp.IceCandidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** A remote UDP candidate we can send checks to: literal IP only (no DNS, no mDNS {@code .local}). */
public record RemoteCandidate(InetSocketAddress address, long priority, String type, String foundation) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The offer's usable candidates, highest priority first. */
    public static List<RemoteCandidate> usable(List<IceCandidate> offered) {
        var out = new ArrayList<RemoteCandidate>();
        for (IceCandidate c : offered) {
            if (!c.isUdp() || c.component() != 1 || c.port() <= 0 || c.port() > 65535) {
                continue;
            }
            String a = c.address();
            // Only literals: resolving a name here would be a DNS lookup on the call path.
            if (!IPV4.matcher(a).matches() && a.indexOf(':') < 0) {
                continue;
            }
            try {
                out.add(new RemoteCandidate(
                        new InetSocketAddress(InetAddress.getByName(a), c.port()),
                        c.priority(),
                        c.type(),
                        c.foundation()));
            } catch (UnknownHostException e) {
                // malformed literal: skip
            }
        }
        out.sort(Comparator.comparingLong(RemoteCandidate::priority).reversed());
        return out;
    }
}
