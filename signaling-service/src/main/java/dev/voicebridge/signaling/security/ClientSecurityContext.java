package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.ApiClient;
import jakarta.ws.rs.core.SecurityContext;

/** The authenticated call-API client, as resources see it through {@code @Context SecurityContext}. */
record ClientSecurityContext(ApiClient client, boolean secure) implements SecurityContext {
    @Override
    public ApiClient getUserPrincipal() {
        return client;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
