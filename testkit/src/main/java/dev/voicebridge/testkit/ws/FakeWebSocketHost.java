package dev.voicebridge.testkit.ws;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

/**
 * A real WebSocket server (Tyrus on Grizzly, bound to 127.0.0.1 on an ephemeral port) for the
 * fake model services. Each upgrade's headers and query parameters are handed to a factory that
 * decides what endpoint (connection) serves it, so every fake sees the request exactly as the
 * real service would. {@code helidon-webserver-websocket} 4.4.0 has no jar in the mirror we build
 * from, hence Tyrus's own server container.
 */
public final class FakeWebSocketHost implements AutoCloseable {

    /** What the client sent with its upgrade request. Header names match case-insensitively. */
    public record Upgrade(Map<String, List<String>> headers, Map<String, List<String>> parameters) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String parameter(String name) {
            var values = parameters.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** True when {@code Authorization} is exactly {@code Bearer <token>}. */
        public boolean bearer(String token) {
            return ("Bearer " + token).equals(header("Authorization"));
        }
    }

    private final TyrusServerContainer container;
    private final String path;
    private final int port;

    private <E extends Endpoint> FakeWebSocketHost(String path, Class<E> type, Function<Upgrade, E> endpoints)
            throws IOException, DeploymentException {
        this.path = path;
        this.container = (TyrusServerContainer) ServerContainerFactory.createServerContainer(Map.of());
        container.addEndpoint(ServerEndpointConfig.Builder.create(type, path)
                .configurator(new Handshake(endpoints))
                .build());
        container.start("/", 0);
        this.port = container.getPort();
    }

    /** Starts serving {@code path}; {@code endpoints} makes one endpoint of {@code type} per upgrade. */
    public static <E extends Endpoint> FakeWebSocketHost start(
            String path, Class<E> type, Function<Upgrade, E> endpoints) {
        try {
            return new FakeWebSocketHost(path, type, endpoints);
        } catch (IOException | DeploymentException e) {
            throw new IllegalStateException("fake WebSocket server for " + path + " did not start", e);
        }
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        container.stop();
    }

    private static final class Handshake extends ServerEndpointConfig.Configurator {
        private final Function<Upgrade, ? extends Endpoint> endpoints;
        // Tyrus calls getEndpointInstance on the thread that ran modifyHandshake for the same upgrade.
        private final ThreadLocal<Upgrade> upgrade = new ThreadLocal<>();

        Handshake(Function<Upgrade, ? extends Endpoint> endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            upgrade.set(new Upgrade(Map.copyOf(request.getHeaders()), Map.copyOf(request.getParameterMap())));
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            var u = upgrade.get();
            upgrade.remove();
            return endpointClass.cast(endpoints.apply(u == null ? new Upgrade(Map.of(), Map.of()) : u));
        }
    }
}
