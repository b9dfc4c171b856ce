package dev.voicebridge.worker.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fe80::/10}; a bare address is one host). */
public record Cidr(byte[] network, int prefixLength) {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    public Cidr {
        network = network.clone();
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefixLength + " does not fit the address");
        }
    }

    /** Parses {@code address[/prefix]}; only IP literals (never a name: no DNS lookup in config). */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!IP_LITERAL.matcher(address).matches() || (address.indexOf(':') < 0 && address.indexOf('.') < 0)) {
            throw new IllegalArgumentException("not an IP network: '" + text + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP network: '" + text + "'", e);
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP network: '" + text + "'", e);
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("not an IP network: '" + text + "' (prefix out of range)");
        }
        return new Cidr(bytes, prefix);
    }

    /** Whether {@code address} is in this network (an IPv4 network never holds an IPv6 address). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefixLength == c.prefixLength && Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
