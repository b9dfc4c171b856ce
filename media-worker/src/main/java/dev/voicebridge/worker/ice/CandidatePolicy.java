package dev.voicebridge.worker.ice;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a call's ICE may send: the remote candidates an offer may name. An offer is written by
 * whoever places the call, so without bounds the worker would send STUN wherever it says — to
 * 1,200 destinations of one offer, into the cluster's own networks, to a cloud metadata address.
 *
 * <p>Always refused: multicast (link-local multicast included), the IPv4 broadcast address and
 * unspecified addresses ({@code 0.0.0.0/8}, {@code ::}). Then the address family must be allowed,
 * the address must be in an allowed network (when any is configured) and in no denied one. The
 * default denies loopback and link-local networks (which hold {@code 169.254.169.254}); private
 * networks stay allowed, since a worker may carry media on one.
 *
 * @param maxCandidates candidates taken from one offer, highest priority first; also the bound on
 *     distinct destinations of one call's checks (peer-reflexive ones included)
 * @param families address families taken
 * @param allow networks a candidate must be in (empty: any)
 * @param deny networks a candidate must not be in
 */
public record CandidatePolicy(int maxCandidates, Set<Family> families, List<Cidr> allow, List<Cidr> deny) {

    public enum Family {
        IPV4,
        IPV6
    }

    public static final int DEFAULT_MAX_CANDIDATES = 16;
    public static final String DEFAULT_FAMILIES = "ipv4,ipv6";
    public static final String DEFAULT_DENY = "127.0.0.0/8,::1/128,169.254.0.0/16,fe80::/10";

    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
    private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    public CandidatePolicy {
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("at least one remote candidate must be allowed");
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException("at least one address family must be allowed");
        }
        families = Set.copyOf(families);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public static CandidatePolicy defaults() {
        return parse(String.valueOf(DEFAULT_MAX_CANDIDATES), DEFAULT_FAMILIES, "", DEFAULT_DENY);
    }

    /**
     * From configuration text: a number, comma-separated families ({@code ipv4}, {@code ipv6}),
     * comma-separated networks ({@code none} or empty: none). Throws with the offending value.
     */
    public static CandidatePolicy parse(String max, String families, String allow, String deny) {
        var set = EnumSet.noneOf(Family.class);
        for (String f : split(families)) {
            try {
                set.add(Family.valueOf(f.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown address family '" + f + "' (ipv4, ipv6)", e);
            }
        }
        return new CandidatePolicy(
                Integer.parseInt(max.trim()),
                set,
                split(allow).stream().map(Cidr::parse).toList(),
                split(deny).stream().map(Cidr::parse).toList());
    }

    private static List<String> split(String list) {
        if (list.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Why the worker must not send to {@code address}, or null when it may. */
    public Refusal refusal(InetAddress address) {
        if (address.isMulticastAddress()
                || address.isAnyLocalAddress()
                || (address instanceof Inet4Address
                        && (THIS_NETWORK.contains(address) || Arrays.equals(address.getAddress(), BROADCAST)))) {
            return Refusal.SPECIAL;
        }
        Family family = address instanceof Inet6Address ? Family.IPV6 : Family.IPV4;
        if (!families.contains(family)) {
            return Refusal.FAMILY;
        }
        if (!allow.isEmpty() && allow.stream().noneMatch(n -> n.contains(address))) {
            return Refusal.DENIED;
        }
        if (deny.stream().anyMatch(n -> n.contains(address))) {
            return Refusal.DENIED;
        }
        return null;
    }
}
