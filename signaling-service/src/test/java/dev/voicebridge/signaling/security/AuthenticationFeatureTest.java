package dev.voicebridge.signaling.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.config.ApiClients;
import dev.voicebridge.signaling.config.CallOperation;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fail closed: what is not marked public is authenticated, and what declares no operation is refused. */
class AuthenticationFeatureTest {
    static final ApiClient READER = new ApiClient(
            "reader",
            ApiClients.sha256("reader-token".getBytes(StandardCharsets.UTF_8)),
            EnumSet.of(CallOperation.READ),
            Set.of("*"),
            Set.of("*"));

    @Path("/new")
    static class NewResource {
        @GET
        public String unannotated() {
            return "";
        }

        @GET
        @RequiresOperation(CallOperation.READ)
        public String reading() {
            return "";
        }

        @GET
        @PublicEndpoint("a test says so")
        public String open() {
            return "";
        }
    }

    @Path("/public")
    @PublicEndpoint("the whole class")
    static class PublicResource {
        @GET
        public String any() {
            return "";
        }
    }

    @Test
    void onlyWhatIsMarkedPublicEscapesAuthentication() throws Exception {
        assertThat(AuthenticationFeature.isPublic(NewResource.class, NewResource.class.getMethod("unannotated")))
                .isFalse();
        assertThat(AuthenticationFeature.isPublic(NewResource.class, NewResource.class.getMethod("open")))
                .isTrue();
        assertThat(AuthenticationFeature.isPublic(PublicResource.class, PublicResource.class.getMethod("any")))
                .isTrue();
        assertThat(AuthenticationFeature.isPublic(NewResource.class, null)).isFalse();
        assertThat(AuthenticationFeature.isPublic(null, null))
                .as("an inflector with no class")
                .isFalse();
    }

    @Test
    void aMethodWithoutAnOperationIsRefusedToEveryClientAndOneWithItToClientsWithoutIt() {
        var authenticator = new ClientAuthenticator(List.of(READER));
        List<String> failures = new ArrayList<>();
        var reading = new BearerAuthenticationFilter(authenticator, CallOperation.READ, failures::add);
        var hangingUp = new BearerAuthenticationFilter(authenticator, CallOperation.HANGUP, failures::add);
        var undeclared = new BearerAuthenticationFilter(authenticator, null, failures::add);

        var request = new Request("Bearer reader-token");
        reading.filter(request.context());
        assertThat(request.security.getUserPrincipal()).isEqualTo(READER);
        assertRefused(() -> hangingUp.filter(new Request("Bearer reader-token").context()), ProblemCode.FORBIDDEN);
        assertRefused(() -> undeclared.filter(new Request("Bearer reader-token").context()), ProblemCode.FORBIDDEN);
        assertRefused(() -> reading.filter(new Request(null).context()), ProblemCode.UNAUTHORIZED);
        assertRefused(() -> reading.filter(new Request("Bearer reader-token2").context()), ProblemCode.UNAUTHORIZED);
        assertRefused(() -> reading.filter(new Request("Basic cmVhZGVy").context()), ProblemCode.UNAUTHORIZED);
        assertThat(failures).containsExactly("forbidden", "forbidden", "missing", "invalid", "invalid");
    }

    @Test
    void tokensAreMatchedWhateverTheSchemesCaseAndSurroundingBlanks() {
        var authenticator = new ClientAuthenticator(List.of(READER));
        assertThat(authenticator.authenticate("Bearer reader-token")).contains(READER);
        assertThat(authenticator.authenticate("bearer   reader-token ")).contains(READER);
        assertThat(authenticator.authenticate("Bearer reader-token2")).isEmpty();
        assertThat(authenticator.authenticate("Bearer")).isEmpty();
        assertThat(authenticator.authenticate(null)).isEmpty();
        assertThat(new ClientAuthenticator(List.of()).authenticate("Bearer ")).isEmpty();
    }

    static void assertRefused(Runnable filter, ProblemCode code) {
        assertThatThrownBy(filter::run).isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.code())
                .isEqualTo(code));
    }

    /** The little of a JAX-RS request the filter reads and writes. */
    static final class Request {
        final String authorization;
        SecurityContext security = new ClientSecurityContext(null, false);

        Request(String authorization) {
            this.authorization = authorization;
        }

        ContainerRequestContext context() {
            return (ContainerRequestContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {ContainerRequestContext.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getHeaderString" -> authorization;
                        case "getSecurityContext" -> security;
                        case "setSecurityContext" -> {
                            security = (SecurityContext) args[0];
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
