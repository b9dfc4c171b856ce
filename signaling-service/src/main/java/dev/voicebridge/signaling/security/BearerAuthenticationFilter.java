package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.CallOperation;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.function.Consumer;

/**
 * Bound by {@link AuthenticationFeature} to one resource method, so it runs exactly when Jersey
 * has routed a request to that method, whatever the spelling of the path: authenticates the
 * bearer token, checks the client may perform the method's operation, and hands the client to the
 * resource as the request's principal. A method without an operation is refused to everyone.
 */
final class BearerAuthenticationFilter implements ContainerRequestFilter {
    private final ClientAuthenticator authenticator;
    private final CallOperation operation;
    private final Consumer<String> failures;

    /** {@code failures} counts each refusal by reason: missing, invalid, forbidden. */
    BearerAuthenticationFilter(ClientAuthenticator authenticator, CallOperation operation, Consumer<String> failures) {
        this.authenticator = authenticator;
        this.operation = operation;
        this.failures = failures;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        var client = authenticator.authenticate(header).orElseThrow(() -> {
            boolean missing = header == null || header.isBlank();
            failures.accept(missing ? "missing" : "invalid");
            return new ProblemException(
                    ProblemCode.UNAUTHORIZED,
                    missing ? "Authorization: Bearer <token> is required" : "the bearer token is not valid");
        });
        if (operation == null || !client.may(operation)) {
            failures.accept("forbidden");
            throw new ProblemException(
                    ProblemCode.FORBIDDEN,
                    "client " + client.name() + " may not "
                            + (operation == null ? "use this endpoint" : operation.wire() + " calls"));
        }
        request.setSecurityContext(
                new ClientSecurityContext(client, request.getSecurityContext().isSecure()));
    }
}
