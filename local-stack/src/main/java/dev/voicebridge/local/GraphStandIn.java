package dev.voicebridge.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.testkit.graph.FakeGraphApi;
import dev.voicebridge.testkit.graph.GraphRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's stand-in for WhatsApp's Graph API: testkit's fake on a fixed loopback port,
 * taking the stack's access token and validating call actions as Graph does ({@code accept} must
 * carry the {@code pre_accept} SDP byte for byte). Each action it receives is printed as one line.
 * {@code GET /local/actions?call_id=…} lists a call's actions with their SDP, so {@code
 * ./voicebridge call --whatsapp} can play the phone that WhatsApp would connect.
 */
final class GraphStandIn implements AutoCloseable {
    static final String ACTIONS_PATH = "/local/actions";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeGraphApi graph;

    private GraphStandIn(FakeGraphApi graph) {
        this.graph = graph;
    }

    static GraphStandIn start(int port, String accessToken, PrintStream out) {
        var graph = FakeGraphApi.start(accessToken, port);
        graph.addRequestListener(request -> out.println(line(request)));
        var standIn = new GraphStandIn(graph);
        graph.serve(ACTIONS_PATH, exchange -> {
            try (exchange) {
                String callId = callId(exchange.getRequestURI().getRawQuery());
                byte[] body = JSON.writeValueAsBytes(callId == null ? List.of() : standIn.actions(callId));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(callId == null ? 400 : 200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        return standIn;
    }

    /** One line per action: the call's resource name, never the raw call id or a number. */
    static String line(GraphRequest request) {
        String call = request.callId() == null ? "-" : CallNames.forCallId(request.callId());
        String outcome = request.succeeded() ? "200" : request.status() + " (Graph error " + request.errorCode() + ")";
        return "graph     | " + request.action() + " " + call + " -> " + outcome
                + (request.sdp() == null ? "" : " (SDP answer, " + request.sdp().length() + " bytes)");
    }

    List<Map<String, Object>> actions(String callId) {
        return graph.requests(callId).stream()
                .map(r -> {
                    Map<String, Object> action = new LinkedHashMap<>();
                    action.put("action", r.action());
                    action.put("status", r.status());
                    action.put("sdp", r.sdp());
                    return action;
                })
                .toList();
    }

    private static String callId(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("call_id=")) {
                return URLDecoder.decode(pair.substring("call_id=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    String baseUrl() {
        return graph.baseUri().toString();
    }

    @Override
    public void close() throws IOException {
        graph.close();
    }
}
