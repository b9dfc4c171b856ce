package dev.voicebridge.helidon.server;

import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.spi.ServerFeature;
import java.util.LinkedHashSet;

/**
 * Refuses, before any route runs, a request whose body framing is a lie: a negative
 * {@code Content-Length}. Helidon 4.4 takes it as a body still to come and, on a route that does
 * not read bodies (health, metrics, a path nothing serves), waits for it twice over the read
 * timeout before answering 404, holding the connection all that time. The refusal is a 400
 * (Helidon's direct handler, so the service's {@code malformed-request} problem) and the
 * connection is closed. A non-numeric length Helidon refuses itself.
 */
final class RequestFraming implements ServerFeature {
    @Override
    public String name() {
        return "voicebridge-request-framing";
    }

    @Override
    public String type() {
        return name();
    }

    @Override
    public void setup(ServerFeatureContext context) {
        // sockets() lists the named listeners only, not the default one.
        var sockets = new LinkedHashSet<String>();
        sockets.add(WebServer.DEFAULT_SOCKET_NAME);
        sockets.addAll(context.sockets());
        for (String socket : sockets) {
            context.socket(socket).httpRouting().addFilter(RequestFraming::filter);
        }
    }

    static void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        var length = request.headers().first(HeaderNames.CONTENT_LENGTH);
        if (length.isPresent() && length.get().strip().startsWith("-")) {
            throw new BadRequestException("Content-Length must be a non-negative integer");
        }
        chain.proceed();
    }
}
