package dev.voicebridge.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code a=candidate} (RFC 8839 section 5.1):
 * {@code foundation component transport priority address port typ type [raddr a rport p] *(ext)}.
 * The address is kept as text: it may be IPv4, IPv6 or an mDNS {@code .local} name, and resolving
 * it is the ICE agent's business, not the parser's.
 *
 * @param extensions unknown trailing name/value pairs in order ({@code generation}, {@code
 *     network-cost}, {@code tcptype}, ...), kept so nothing is lost
 */
public record IceCandidate(
        String foundation,
        int component,
        String transport,
        long priority,
        String address,
        int port,
        String type,
        Optional<String> relatedAddress,
        Optional<Integer> relatedPort,
        Map<String, String> extensions) {

    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(relatedAddress, "relatedAddress");
        Objects.requireNonNull(relatedPort, "relatedPort");
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * A UDP host candidate for component 1 (rtcp-mux, so RTP and RTCP share it), what the media
     * worker advertises for its single shared port.
     */
    public static IceCandidate udpHost(String foundation, long priority, String address, int port) {
        return new IceCandidate(
                foundation, 1, "udp", priority, address, port, "host", Optional.empty(), Optional.empty(), Map.of());
    }

    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    public boolean isIpv6() {
        return address.indexOf(':') >= 0;
    }

    /** The attribute value, without the {@code a=candidate:} prefix. */
    public String sdpValue() {
        var sb = new StringBuilder(96)
                .append(foundation)
                .append(' ')
                .append(component)
                .append(' ')
                .append(transport.toLowerCase(Locale.ROOT))
                .append(' ')
                .append(priority)
                .append(' ')
                .append(address)
                .append(' ')
                .append(port)
                .append(" typ ")
                .append(type);
        relatedAddress.ifPresent(a -> sb.append(" raddr ").append(a));
        relatedPort.ifPresent(p -> sb.append(" rport ").append(p));
        extensions.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
        return sb.toString();
    }
}
