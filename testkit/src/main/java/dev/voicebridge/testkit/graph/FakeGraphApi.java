package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A fake WhatsApp Cloud API "call actions" endpoint over real HTTP on 127.0.0.1: {@code POST
 * /{version}/{phoneNumberId}/calls} with bearer auth and the JSON bodies of docs/protocols.md. It
 * validates like Graph does (error envelope, code 100 for bad parameters, 190 for a bad token),
 * enforces that {@code accept} carries byte-identical SDP to the call's {@code pre_accept}, records
 * every request in arrival order, and can be told to fail the next requests.
 */
public final class FakeGraphApi implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([0-9A-Za-z_-]+)/calls$");
    private static final Set<String> ACTIONS = Set.of("pre_accept", "accept", "reject", "terminate", "connect");
    private static final int MAX_OPAQUE = 512;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String accessToken;
    private final List<GraphRequest> requests = new CopyOnWriteArrayList<>();
    private final List<SdpListener> listeners = new CopyOnWriteArrayList<>();
    private final Deque<Armed> faults = new ArrayDeque<>();
    /** pre_accept SDP per call id, to check accept's bytes against. */
    private final Map<String, String> preAcceptedSdp = new ConcurrentHashMap<>();

    private final AtomicLong traceIds = new AtomicLong();

    private FakeGraphApi(String accessToken) throws IOException {
        this.accessToken = accessToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("fake-graph-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake that accepts exactly this bearer token. */
    public static FakeGraphApi start(String accessToken) {
        try {
            return new FakeGraphApi(accessToken);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the fake Graph API on loopback", e);
        }
    }

    /** Base URL without version, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received so far, in arrival order (including failed and faulted ones). */
    public List<GraphRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests for one call, in arrival order. */
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

    /** A fault waiting for a request, for any action ({@code null}) or one action. */
    private record Armed(String action, GraphFault fault) {}

    /** The next {@code count} requests get this fault instead of normal processing. */
    public void failNext(int count, GraphFault fault) {
        failNext(null, count, fault);
    }

    /** The next {@code count} requests with this action (e.g. "accept") get this fault. */
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

    public void reset() {
        requests.clear();
        preAcceptedSdp.clear();
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
            var matcher = PATH.matcher(exchange.getRequestURI().getPath());
            if (!matcher.matches()) {
                reply(
                        exchange,
                        404,
                        error(
                                803,
                                "Unknown path components: "
                                        + exchange.getRequestURI().getPath(),
                                null));
                return;
            }
            String version = matcher.group(1);
            String phoneNumberId = matcher.group(2);
            JsonNode parsed = parse(body);
            String callId = text(parsed, "call_id");
            String action = text(parsed, "action");
            String sdp = parsed == null ? null : text(parsed.get("session"), "sdp");

            GraphFault fault = null;
            synchronized (faults) {
                for (var it = faults.iterator(); it.hasNext(); ) {
                    Armed armed = it.next();
                    if (armed.action() == null || armed.action().equals(action)) {
                        fault = armed.fault();
                        it.remove();
                        break;
                    }
                }
            }
            Outcome outcome =
                    fault != null ? faulted(fault) : validate(exchange, parsed, phoneNumberId, callId, action, sdp);
            // Recorded in arrival order, before any injected delay, so a retry sent while this
            // request hangs is listed after it.
            requests.add(new GraphRequest(
                    version, phoneNumberId, callId, action, sdp, body, outcome.status(), outcome.errorCode()));
            if (fault instanceof GraphFault.Delay delay) {
                try {
                    Thread.sleep(delay.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (outcome.status() == 200 && ("pre_accept".equals(action) || "accept".equals(action))) {
                for (SdpListener listener : listeners) {
                    listener.onAnswer(phoneNumberId, callId, action, sdp);
                }
            }
            reply(exchange, outcome.status(), outcome.body());
        }
    }

    private record Outcome(int status, ObjectNode body, Long errorCode) {}

    private Outcome faulted(GraphFault fault) {
        return switch (fault) {
            case GraphFault.ServerError e -> new Outcome(e.status(), error(1, "An unknown error occurred", null), 1L);
            case GraphFault.GraphErrorCode e -> new Outcome(e.status(), error(e.code(), e.message(), null), e.code());
            case GraphFault.RateLimited r -> new Outcome(429, error(4, "Application request limit reached", null), 4L);
            case GraphFault.Delay d -> success();
        };
    }

    private Outcome validate(
            HttpExchange exchange, JsonNode body, String phoneNumberId, String callId, String action, String sdp) {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return invalid(405, 100, "Unsupported " + exchange.getRequestMethod() + " request.", null);
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + accessToken)) {
            return invalid(401, 190, "Invalid OAuth access token - Cannot parse access token", null);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return invalid(400, 100, "Invalid parameter", "Content-Type must be application/json");
        }
        if (body == null || !body.isObject()) {
            return invalid(400, 100, "Invalid parameter", "request body is not a JSON object");
        }
        if (!"whatsapp".equals(text(body, "messaging_product"))) {
            return invalid(400, 100, "Invalid parameter", "messaging_product must be \"whatsapp\"");
        }
        if (callId == null || callId.isBlank()) {
            return invalid(400, 100, "Invalid parameter", "call_id is required");
        }
        if (action == null || !ACTIONS.contains(action)) {
            return invalid(400, 100, "Invalid parameter", "action must be one of " + ACTIONS);
        }
        if (body.has("biz_opaque_callback_data")
                && text(body, "biz_opaque_callback_data").length() > MAX_OPAQUE) {
            return invalid(400, 100, "Invalid parameter", "biz_opaque_callback_data longer than 512 characters");
        }
        String key = phoneNumberId + "/" + callId;
        switch (action) {
            case "pre_accept", "accept" -> {
                JsonNode session = body.get("session");
                if (session == null || !session.isObject()) {
                    return invalid(400, 100, "Invalid parameter", "session is required for " + action);
                }
                if (!"answer".equals(text(session, "sdp_type"))) {
                    return invalid(400, 100, "Invalid parameter", "session.sdp_type must be \"answer\"");
                }
                String problem = sdpProblem(sdp);
                if (problem != null) {
                    return invalid(400, 100, "Invalid parameter", problem);
                }
                if (action.equals("pre_accept")) {
                    String earlier = preAcceptedSdp.putIfAbsent(key, sdp);
                    if (earlier != null && !earlier.equals(sdp)) {
                        return invalid(400, 100, "Invalid parameter", "SDP differs from the earlier pre_accept");
                    }
                } else {
                    String preAccepted = preAcceptedSdp.get(key);
                    if (preAccepted != null && !preAccepted.equals(sdp)) {
                        return invalid(
                                400, 100, "Invalid parameter", "accept SDP is not identical to the pre_accept SDP");
                    }
                }
            }
            case "connect" -> {
                if (text(body, "to") == null) {
                    return invalid(400, 100, "Invalid parameter", "to is required for connect");
                }
                if (!"offer".equals(text(body.get("session"), "sdp_type"))) {
                    return invalid(400, 100, "Invalid parameter", "session.sdp_type must be \"offer\" for connect");
                }
            }
            default -> {
                // reject and terminate carry no session.
            }
        }
        return success();
    }

    /** WhatsApp wants a plain JSON string with CRLF line endings and a trailing CRLF. */
    private static String sdpProblem(String sdp) {
        if (sdp == null || sdp.isEmpty()) {
            return "session.sdp is required";
        }
        if (!sdp.startsWith("v=0")) {
            return "session.sdp must start with v=0";
        }
        for (int i = 0; i < sdp.length(); i++) {
            if (sdp.charAt(i) == '\n' && (i == 0 || sdp.charAt(i - 1) != '\r')) {
                return "session.sdp has a bare LF at offset " + i + "; lines must end with CRLF";
            }
        }
        if (!sdp.endsWith("\r\n")) {
            return "session.sdp must end with CRLF";
        }
        return null;
    }

    private Outcome success() {
        ObjectNode ok = json.createObjectNode();
        ok.put("messaging_product", "whatsapp");
        ok.put("success", true);
        return new Outcome(200, ok, null);
    }

    private Outcome invalid(int status, long code, String message, String details) {
        return new Outcome(status, error(code, message, details), code);
    }

    private ObjectNode error(long code, String message, String details) {
        ObjectNode envelope = json.createObjectNode();
        ObjectNode error = envelope.putObject("error");
        error.put("message", message);
        error.put("type", code == 190 ? "OAuthException" : "GraphMethodException");
        error.put("code", code);
        if (details != null) {
            ObjectNode data = error.putObject("error_data");
            data.put("messaging_product", "whatsapp");
            data.put("details", details);
        }
        error.put("fbtrace_id", "FakeTrace" + traceIds.incrementAndGet());
        return envelope;
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
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
