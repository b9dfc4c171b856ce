package dev.voicebridge.helidon.server;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;

/**
 * Adjusts Helidon's web server before the MP server extension builds it, in every voicebridge
 * service that has this module on its class path: problem+json for every answer Helidon gives on
 * its own ({@link DirectProblemHandler}, with the codes of the service's {@link ServerProblems}
 * bean), a read timeout on every connection ({@link ReadTimeoutSocketOptions}) and the refusal of
 * a negative {@code Content-Length} before any route ({@link RequestFraming}); and no stack trace
 * for a response the client did not stay to receive ({@link ClientGoneLogFilter}). The
 * first three are server settings Helidon MP 4.4 offers no configuration or CDI hook for; the one
 * way in is the MP extension's server builder, read reflectively here. Everything else below uses
 * Helidon's public builder API. When a Helidon upgrade renames the field, or a service provides
 * no {@link ServerProblems}, the service refuses to start (and every test says why) rather than
 * run without these protections.
 */
public class WebServerHardening implements Extension {
    /** The field of {@link ServerCdiExtension} holding the builder of the server it starts. */
    static final String BUILDER_FIELD = "serverBuilder";

    // Before ServerCdiExtension.startServer (PLATFORM_AFTER + 100), after its @RuntimeStart
    // prepareRuntime, which applies the "server" configuration to the builder.
    void harden(
            @Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 50) @Initialized(ApplicationScoped.class) Object event,
            BeanManager beanManager) {
        var problems = beanManager.createInstance().select(ServerProblems.class);
        if (!problems.isResolvable()) {
            throw new IllegalStateException("the service provides no (or more than one) "
                    + ServerProblems.class.getName()
                    + " bean: the problem+json codes of its HTTP layer are unknown");
        }
        WebServerConfig.Builder builder = serverBuilder(beanManager.getExtension(ServerCdiExtension.class));
        apply(builder, problems.get());
        ClientGoneLogFilter.install();
    }

    static void apply(WebServerConfig.Builder builder, ServerProblems problems) {
        var handler = new DirectProblemHandler(problems);
        var handlers = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, handler);
        }
        builder.directHandlers(handlers.build());
        // Helidon's safe message reaches the handler only with include-entity; the handler uses it
        // to tell an oversized header section (431) from other parse errors, and never echoes it.
        builder.errorHandling(ErrorHandling.builder()
                .from(builder.errorHandling())
                .includeEntity(true)
                .build());
        SocketOptions options = builder.connectionOptions().orElseGet(SocketOptions::create);
        if (!(options instanceof ReadTimeoutSocketOptions)) {
            builder.connectionOptions(new ReadTimeoutSocketOptions(options));
        }
        // Reads through the socket (not the NIO channel directly, Helidon's default): only those
        // honour SO_TIMEOUT, without which the read timeout above would not apply.
        builder.useNio(false);
        if (builder.features().stream().noneMatch(RequestFraming.class::isInstance)) {
            builder.addFeature(new RequestFraming());
        }
    }

    static WebServerConfig.Builder serverBuilder(ServerCdiExtension extension) {
        try {
            var field = ServerCdiExtension.class.getDeclaredField(BUILDER_FIELD);
            field.setAccessible(true);
            return (WebServerConfig.Builder) field.get(extension);
        } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
            throw new IllegalStateException(
                    "cannot reach Helidon's server builder (ServerCdiExtension." + BUILDER_FIELD
                            + "): the problem+json error pages and the connection read timeout would be missing",
                    e);
        }
    }
}
