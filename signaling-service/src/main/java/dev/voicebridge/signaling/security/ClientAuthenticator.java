package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.config.ApiClients;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Finds the client a bearer token belongs to. Compares SHA-256 digests with
 * {@link MessageDigest#isEqual} against every client, without stopping at a match, so neither the
 * token's content, its length nor which client it matched shows in the time taken.
 */
public final class ClientAuthenticator {
    private final List<ApiClient> clients;

    public ClientAuthenticator(List<ApiClient> clients) {
        this.clients = List.copyOf(clients);
    }

    /** The client of an {@code Authorization} header value, if it is {@code Bearer <a known token>}. */
    public Optional<ApiClient> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = ApiClients.sha256(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        ApiClient found = null;
        for (ApiClient client : clients) {
            if (MessageDigest.isEqual(client.tokenSha256(), presented)) {
                found = client;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean hasClients() {
        return !clients.isEmpty();
    }
}
