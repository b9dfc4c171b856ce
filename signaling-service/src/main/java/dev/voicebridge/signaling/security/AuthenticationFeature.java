package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Binds bearer authentication to every resource method Jersey knows — ours and the ones it adds
 * itself (automatic OPTIONS) — unless the method or its class is marked {@link PublicEndpoint}.
 * Binding to the resource model, not to path strings, means a request is authenticated exactly
 * when it reaches a resource, however its path is spelled ({@code /v1;x=1/calls}, {@code
 * /v1/./calls}, ...), and a new endpoint is protected without anyone remembering to.
 */
@Dependent
@Provider
public class AuthenticationFeature implements DynamicFeature {
    private final ClientAuthenticator authenticator;
    private final SignalingMetrics metrics;

    @Inject
    public AuthenticationFeature(SignalingConfig config, SignalingMetrics metrics) {
        this.authenticator = new ClientAuthenticator(config.apiClients());
        this.metrics = metrics;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (isPublic(resource.getResourceClass(), resource.getResourceMethod())) {
            return;
        }
        Method method = resource.getResourceMethod();
        RequiresOperation operation = method == null ? null : method.getAnnotation(RequiresOperation.class);
        context.register(
                new BearerAuthenticationFilter(
                        authenticator, operation == null ? null : operation.value(), metrics::authFailure),
                Priorities.AUTHENTICATION);
    }

    static boolean isPublic(Class<?> type, Method method) {
        return (method != null && method.isAnnotationPresent(PublicEndpoint.class))
                || (type != null && type.isAnnotationPresent(PublicEndpoint.class));
    }
}
