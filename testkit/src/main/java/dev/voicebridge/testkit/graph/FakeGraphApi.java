package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A fake WhatsApp Cloud API over real HTTP on 127.0.0.1, speaking Graph's wire format with bearer
 * auth: the call actions ({@code POST /{version}/{phoneNumberId}/calls}: pre_accept, accept,
 * reject, terminate, and connect for business-initiated calls), the user's call permission
 * ({@code GET .../call_permissions}), the call permission request message ({@code POST
 * .../messages}) and media download ({@code GET /{version}/{mediaId}}, then its URL). It validates
 * like Graph does (error envelope, code 100 for bad parameters, 190 for a bad token, 138006 and
 * 138012 for calls the user's permission forbids), enforces that {@code accept} carries
 * byte-identical SDP to the call's {@code pre_accept}, records every request in arrival order,
 * and can be told to fail the next requests.
 */
public final class FakeGraphApi implements AutoCloseable {
    private static final Pattern NUMBER_PATH =
            Pattern.compile("^/(v\\d+\\.\\d+)/([0-9A-Za-z_-]+)/(calls|call_permissions|messages)$");
    private static final Pattern MEDIA_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([0-9A-Za-z_.-]+)$");
    private static final Pattern DOWNLOAD_PATH = Pattern.compile("^/media/([0-9A-Za-z_.-]+)$");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String accessToken;
    private final List<GraphRequest> requests = new CopyOnWriteArrayList<>();
    private final List<SdpListener> listeners = new CopyOnWriteArrayList<>();
    private final List<OutboundListener> outboundListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<GraphRequest>> requestListeners = new CopyOnWriteArrayList<>();
    private final Deque<Armed> faults = new ArrayDeque<>();
    private final CallActionRules rules = new CallActionRules();
    private final CallPermissions permissions = new CallPermissions();
    private final Map<String, Media> media = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** A call permission request message the business sent (interactive call_permission_request). */
    public record PermissionRequest(String phoneNumberId, String to, String text) {}

    private record Media(String mimeType, byte[] bytes) {}

    private FakeGraphApi(String accessToken, int port) throws IOException {
        this.accessToken = accessToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("fake-graph-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake that accepts exactly this bearer token, on any free loopback port. */
    public static FakeGraphApi start(String accessToken) {
        return start(accessToken, 0);
    }

    /** Starts a fake on this loopback port (0: any). */
    public static FakeGraphApi start(String accessToken, int port) {
        try {
            return new FakeGraphApi(accessToken, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the fake Graph API on loopback port " + port, e);
        }
    }

    /** Calls {@code listener} with every request as it is recorded (e.g. to print one line per action). */
    public void addRequestListener(Consumer<GraphRequest> listener) {
        requestListeners.add(listener);
    }

    /** Serves another path prefix on the same port (not Graph's: helpers of whoever runs the fake). */
    public void serve(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, handler);
    }

    /** Base URL without version, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received so far, in arrival order (including failed and faulted ones). */
    public List<GraphRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests for one call, in arrival order (a successful connect is listed under the id it got). */
    public List<GraphRequest> requests(String callId) {
        return requests.stream().filter(r -> callId.equals(r.callId())).toList();
    }

    /** The actions of one call that WhatsApp answered with success, in order. */
    public List<String> succeededActions(String callId) {
        return requests(callId).stream()
                .filter(GraphRequest::succeeded)
                .map(GraphRequest::action)
                .toList();
    }

    /** Requests with this action (e.g. "connect", "call_permissions", "messages"), in order. */
    public List<GraphRequest> requestsFor(String action) {
        return requests.stream().filter(r -> action.equals(r.action())).toList();
    }

    /** A fault waiting for a request, for any action ({@code null}) or one action. */
    private record Armed(String action, GraphFault fault) {}

    /** The next {@code count} requests get this fault instead of normal processing. */
    public void failNext(int count, GraphFault fault) {
        failNext(null, count, fault);
    }

    /** The next {@code count} requests with this action (e.g. "accept", "connect") get this fault. */
    public void failNext(String action, int count, GraphFault fault) {
        synchronized (faults) {
            for (int i = 0; i < count; i++) {
                faults.addLast(new Armed(action, fault));
            }
        }
    }

    public void addListener(SdpListener listener) {
        listeners.add(listener);
    }

    public void addOutboundListener(OutboundListener listener) {
        outboundListeners.add(listener);
    }

    /** What {@code call_permissions} reports and {@code connect} enforces for this user (number or BSUID). */
    public void permission(String user, UserPermission permission) {
        permissions.set(user, permission);
    }

    /** The permission of users not set with {@link #permission}; a temporary grant unless changed. */
    public void defaultPermission(UserPermission permission) {
        permissions.setDefault(permission);
    }

    /** Call permission request messages sent so far, in order. */
    public List<PermissionRequest> permissionRequests() {
        return permissions.requests();
    }

    /** Makes a media object (a call recording or transcript) downloadable under this id. */
    public void putMedia(String mediaId, String mimeType, byte[] bytes) {
        media.put(mediaId, new Media(mimeType, bytes.clone()));
    }

    public void reset() {
        requests.clear();
        rules.reset();
        permissions.reset();
        synchronized (faults) {
            faults.clear();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            var number = NUMBER_PATH.matcher(path);
            var mediaInfo = MEDIA_PATH.matcher(path);
            var download = DOWNLOAD_PATH.matcher(path);
            if (number.matches()) {
                String resource = number.group(3);
                route(exchange, number.group(1), number.group(2), resource, body);
            } else if (download.matches()) {
                download(exchange, download.group(1));
            } else if (mediaInfo.matches()) {
                mediaInfo(exchange, mediaInfo.group(1), mediaInfo.group(2));
            } else {
                reply(exchange, 404, GraphReply.error(803, "Unknown path components: " + path, null));
            }
        }
    }

    private void route(HttpExchange exchange, String version, String phoneNumberId, String resource, String body)
            throws IOException {
        JsonNode parsed = parse(body);
        String action = resource.equals("calls") ? text(parsed, "action") : resource;
        String callId = text(parsed, "call_id");
        String sdp = parsed == null ? null : text(parsed.get("session"), "sdp");
        GraphFault fault = takeFault(action);
        GraphReply outcome;
        if (fault != null) {
            outcome = faulted(fault);
        } else {
            GraphReply refused = authorize(exchange, resource.equals("call_permissions") ? "GET" : "POST");
            outcome = refused != null
                    ? refused
                    : switch (resource) {
                        case "calls" -> call(exchange, parsed, phoneNumberId, callId, action, sdp);
                        case "call_permissions" ->
                            permissions.state(query(exchange.getRequestURI().getRawQuery()));
                        default -> permissions.request(parsed, phoneNumberId);
                    };
        }
        if (outcome.callId() != null) {
            callId = outcome.callId();
        }
        // Recorded in arrival order, before any injected delay, so a retry sent while this
        // request hangs is listed after it.
        var recorded = new GraphRequest(
                version, phoneNumberId, callId, action, sdp, body, outcome.status(), outcome.errorCode());
        requests.add(recorded);
        requestListeners.forEach(listener -> listener.accept(recorded));
        if (fault instanceof GraphFault.Delay delay) {
            try {
                Thread.sleep(delay.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (outcome.status() == 200) {
            notifyListeners(phoneNumberId, callId, action, sdp, parsed);
        }
        reply(exchange, outcome.status(), outcome.body());
    }

    private GraphFault takeFault(String action) {
        synchronized (faults) {
            for (var it = faults.iterator(); it.hasNext(); ) {
                Armed armed = it.next();
                if (armed.action() == null || armed.action().equals(action)) {
                    it.remove();
                    return armed.fault();
                }
            }
        }
        return null;
    }

    private void notifyListeners(String phoneNumberId, String callId, String action, String sdp, JsonNode body) {
        switch (action) {
            case "pre_accept", "accept" -> listeners.forEach(l -> l.onAnswer(phoneNumberId, callId, action, sdp));
            case "connect" -> {
                var call = new OutboundCall(
                        phoneNumberId,
                        callId,
                        text(body, "to"),
                        text(body, "recipient"),
                        sdp,
                        text(body, "biz_opaque_callback_data"),
                        body.get("recording"),
                        body.get("transcription"));
                outboundListeners.forEach(l -> l.onConnect(call));
            }
            case "terminate", "reject" -> outboundListeners.forEach(l -> l.onEnded(phoneNumberId, callId, action));
            default -> {}
        }
    }

    private GraphReply faulted(GraphFault fault) {
        return switch (fault) {
            case GraphFault.ServerError e ->
                new GraphReply(e.status(), GraphReply.error(1, "An unknown error occurred", null), 1L);
            case GraphFault.GraphErrorCode e ->
                new GraphReply(e.status(), GraphReply.error(e.code(), e.message(), null), e.code());
            case GraphFault.RateLimited r ->
                new GraphReply(429, GraphReply.error(4, "Application request limit reached", null), 4L);
            case GraphFault.Delay d -> GraphReply.success();
        };
    }

    private GraphReply authorize(HttpExchange exchange, String method) {
        if (!method.equals(exchange.getRequestMethod())) {
            return GraphReply.invalid(405, 100, "Unsupported " + exchange.getRequestMethod() + " request.", null);
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + accessToken)) {
            return GraphReply.invalid(401, 190, "Invalid OAuth access token - Cannot parse access token", null);
        }
        if (method.equals("POST")) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
                return GraphReply.invalid(400, 100, "Invalid parameter", "Content-Type must be application/json");
            }
        }
        return null;
    }

    private GraphReply call(
            HttpExchange exchange, JsonNode body, String phoneNumberId, String callId, String action, String sdp) {
        if (body == null || !body.isObject()) {
            return GraphReply.invalid(400, 100, "Invalid parameter", "request body is not a JSON object");
        }
        String problem = rules.problem(body, phoneNumberId, callId, action, sdp);
        if (problem != null) {
            return GraphReply.invalid(400, 100, "Invalid parameter", problem);
        }
        if (!action.equals("connect")) {
            return GraphReply.success();
        }
        GraphReply refused =
                permissions.connectRefusal(text(body, "to") != null ? text(body, "to") : text(body, "recipient"));
        if (refused != null) {
            return refused;
        }
        String id = "wacid.fake-out-" + ids.incrementAndGet();
        ObjectNode ok = json.createObjectNode();
        ok.put("messaging_product", "whatsapp");
        ok.putArray("calls").addObject().put("id", id);
        return new GraphReply(200, ok, null, id);
    }

    /** GET /{version}/{media-id}: where to download it (the URL needs the token too). */
    private void mediaInfo(HttpExchange exchange, String version, String mediaId) throws IOException {
        GraphReply refused = authorize(exchange, "GET");
        Media m = media.get(mediaId);
        GraphReply outcome;
        if (refused != null) {
            outcome = refused;
        } else if (m == null) {
            outcome = GraphReply.invalid(
                    404, 100, "Unsupported get request. Object with ID '" + mediaId + "' does not exist", null);
        } else {
            ObjectNode ok = json.createObjectNode();
            ok.put("messaging_product", "whatsapp");
            ok.put("url", baseUri() + "/media/" + mediaId);
            ok.put("mime_type", m.mimeType());
            ok.put("file_size", m.bytes().length);
            ok.put("id", mediaId);
            outcome = new GraphReply(200, ok, null);
        }
        requests.add(
                new GraphRequest(version, null, mediaId, "media", null, "", outcome.status(), outcome.errorCode()));
        reply(exchange, outcome.status(), outcome.body());
    }

    private void download(HttpExchange exchange, String mediaId) throws IOException {
        GraphReply refused = authorize(exchange, "GET");
        Media m = media.get(mediaId);
        int status = refused != null ? refused.status() : m == null ? 404 : 200;
        requests.add(new GraphRequest(null, null, mediaId, "media-download", null, "", status, null));
        if (status != 200) {
            reply(exchange, status, refused != null ? refused.body() : GraphReply.error(100, "no such media", null));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", m.mimeType());
        exchange.sendResponseHeaders(200, m.bytes().length);
        exchange.getResponseBody().write(m.bytes());
    }

    private JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** For tests of the fake itself: copy of the faults still queued. */
    List<GraphFault> queuedFaults() {
        synchronized (faults) {
            return new ArrayList<>(faults.stream().map(Armed::fault).toList());
        }
    }
}
