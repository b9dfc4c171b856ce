package dev.voicebridge.signaling.config;

import java.security.Principal;
import java.util.EnumSet;
import java.util.Set;

/**
 * One client of the call API: who it is, the SHA-256 of its bearer token, what it may do and on
 * which calls. A call is in its scope when the call's agent is in {@code agents} <em>and</em> its
 * phone-number id is in {@code phoneNumberIds}; {@code *} matches any value, including none. The
 * token itself is never kept.
 */
public record ApiClient(
        String name, byte[] tokenSha256, Set<CallOperation> operations, Set<String> agents, Set<String> phoneNumberIds)
        implements Principal {
    public static final String ANY = "*";

    public ApiClient {
        tokenSha256 = tokenSha256.clone();
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
        agents = Set.copyOf(agents);
        phoneNumberIds = Set.copyOf(phoneNumberIds);
    }

    @Override
    public byte[] tokenSha256() {
        return tokenSha256.clone();
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean may(CallOperation operation) {
        return operations.contains(operation);
    }

    /** Whether a call with this agent and phone-number id (either may be null) is this client's. */
    public boolean covers(String agent, String phoneNumberId) {
        return matches(agents, agent) && matches(phoneNumberIds, phoneNumberId);
    }

    private static boolean matches(Set<String> allowed, String value) {
        return allowed.contains(ANY) || (value != null && allowed.contains(value));
    }

    @Override
    public String toString() {
        // Never the digest: it identifies the token as well as the token does.
        return "ApiClient[" + name + ", operations=" + operations + ", agents=" + agents + ", phoneNumberIds="
                + phoneNumberIds + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiClient c && c.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
