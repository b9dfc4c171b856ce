package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.SecretValue;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer authentication for everything under {@code /v1}. The token comparison is constant time
 * over SHA-256 digests, so neither content nor length leaks through timing. With no token
 * configured the API refuses every request (fail closed).
 */
@Dependent
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    private final byte[] expectedDigest;

    @Inject
    public BearerTokenFilter(SignalingConfig config) {
        SecretValue token = config.apiToken();
        this.expectedDigest = token.isEmpty() ? null : sha256(token.bytes());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("v1") || path.startsWith("v1/") || path.startsWith("/v1"))) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(ProblemCode.UNAUTHORIZED, "Authorization: Bearer <token> is required");
        }
        byte[] presented = sha256(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        if (expectedDigest == null || !MessageDigest.isEqual(expectedDigest, presented)) {
            throw new ProblemException(ProblemCode.UNAUTHORIZED, "the bearer token is not valid");
        }
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
