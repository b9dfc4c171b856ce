package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SharedPhonePort;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.ws.PlainHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * OpenAI's WebRTC calls on the fake: {@code POST /v1/realtime/calls} (multipart {@code sdp} and
 * {@code session}: 201, the answer of a {@link SyntheticPhone} that answers as OpenAI's peer, the
 * call's id in {@code Location}) and {@code POST /v1/realtime/calls/{id}/hangup}, each behind the
 * bearer token, with OpenAI's error objects; and the calls the sideband joins. Each call's phone
 * has a socket of its own, or they all share one port ({@link SharedPhonePort}).
 */
final class RealtimeCalls {
    static final String PREFIX = FakeRealtimeServer.PATH + "/calls";

    private final FakeRealtimeServer server;
    private final ObjectMapper json;
    private final String token;
    private final PhoneHost phones;
    private final InetSocketAddress bind;
    /** Every call's phone on this port, or null: each phone binds its own socket to {@link #bind}. */
    private final SharedPhonePort port;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, RealtimeCall> live = new ConcurrentHashMap<>();
    private final List<RealtimeCall> all = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RealtimeCalls(
            FakeRealtimeServer server,
            ObjectMapper json,
            String token,
            PhoneHost phones,
            InetSocketAddress bind,
            SharedPhonePort port) {
        this.server = server;
        this.json = json;
        this.token = token;
        this.phones = phones;
        this.bind = bind;
        this.port = port;
    }

    /** The port every call's phone shares, or null. */
    SharedPhonePort port() {
        return port;
    }

    /** A call that is going on, or null. */
    RealtimeCall live(String id) {
        return id == null ? null : live.get(id);
    }

    /** Every call made while the server recorded, and those still going on. */
    List<RealtimeCall> calls() {
        var result = new LinkedHashSet<>(all);
        result.addAll(live.values());
        return List.copyOf(result);
    }

    PlainHttp.Reply handle(PlainHttp.Request request) {
        if (!request.bearer(token)) {
            return error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.", null);
        }
        String path = request.path();
        if (path.equals(PREFIX)) {
            return request.method().equals("POST")
                    ? create(request)
                    : error(405, "invalid_request_error", "method_not_allowed", "Use POST to create a call.", null);
        }
        String rest = path.substring(PREFIX.length() + 1);
        int slash = rest.indexOf('/');
        if (slash > 0 && rest.substring(slash).equals("/hangup")) {
            if (!request.method().equals("POST")) {
                return error(405, "invalid_request_error", "method_not_allowed", "Use POST to hang up.", null);
            }
            return hangUp(rest.substring(0, slash));
        }
        return error(404, "invalid_request_error", "not_found", "Unknown path: " + path + ".", null);
    }

    private PlainHttp.Reply create(PlainHttp.Request request) {
        if (closed) {
            return error(503, "server_error", "service_unavailable", "The server is shutting down.", null);
        }
        if (server.refusing()) {
            return error(
                    503,
                    "server_error",
                    "service_unavailable",
                    "The server is temporarily unable to take new sessions.",
                    null);
        }
        Map<String, String> parts;
        try {
            parts = Multipart.parse(request.header("Content-Type"), request.body());
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_request_error", "invalid_request_error", e.getMessage(), null);
        }
        String offer = parts.get("sdp");
        if (offer == null || offer.isBlank()) {
            return error(
                    400,
                    "invalid_request_error",
                    "missing_required_parameter",
                    "Missing required parameter: 'sdp'.",
                    "sdp");
        }
        JsonNode session = null;
        if (parts.containsKey("session")) {
            try {
                session = json.readTree(parts.get("session"));
            } catch (IOException e) {
                session = null;
            }
            if (session == null || !session.isObject()) {
                return error(
                        400,
                        "invalid_request_error",
                        "invalid_json",
                        "The 'session' part is not a JSON object.",
                        "session");
            }
            var problem = new GaSessionValidator().check(json.createObjectNode().set("session", session));
            if (problem.isPresent()) {
                var p = problem.get();
                return error(400, "invalid_request_error", p.code(), p.message(), p.param());
            }
        }
        var voice = new CallVoice();
        SyntheticPhone phone;
        try {
            var options = new PhoneOptions(null, voice, 0, false);
            phone = port == null ? phones.newPhone(bind, options) : phones.newPhone(port, options);
        } catch (IOException e) {
            return error(500, "server_error", "server_error", "The fake could not open a media socket: " + e, null);
        }
        String answer;
        try {
            answer = phone.answerOffer(offer, true);
        } catch (IllegalArgumentException e) {
            phone.close();
            return error(400, "invalid_request_error", "invalid_offer", "Invalid SDP offer: " + e.getMessage(), "sdp");
        }
        // Picked up at once: the phone sends from the moment its DTLS handshake completes, silence
        // until the model speaks, as OpenAI's peer streams continuously.
        phone.pickUp();
        phone.cheapSilence(); // a phone per call, hundreds in a benchmark: silence is not encoded anew
        String id = "rtc_" + HexFormat.of().formatHex(randomBytes());
        var call = new RealtimeCall(server, json, server.nextConnection(), id, session, offer, answer, phone, voice);
        var realtime = call.realtime();
        if (session != null) {
            realtime.configure(session);
        }
        phone.onHeard(realtime::heard);
        live.put(id, call);
        if (server.recording()) {
            all.add(call);
        }
        server.opened(realtime);
        if (closed) {
            call.hangUp(); // close() ran meanwhile
        }
        return PlainHttp.Reply.text(201, "application/sdp", answer).withHeader("Location", PREFIX + "/" + id);
    }

    private PlainHttp.Reply hangUp(String id) {
        RealtimeCall call = live.remove(id);
        if (call == null || !call.hangUp()) {
            return error(
                    404, "invalid_request_error", "call_not_found", "No active call with id '" + id + "'.", "call_id");
        }
        return PlainHttp.Reply.empty(200);
    }

    /** Ends every call (the server closes), then closes the shared port, if any. */
    void close() {
        closed = true;
        live.values().forEach(RealtimeCall::hangUp);
        live.clear();
        if (port != null) {
            port.close();
        }
    }

    private byte[] randomBytes() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return b;
    }

    /** OpenAI's error object: {@code {"error":{"type","code","message","param"}}}. */
    private static PlainHttp.Reply error(int status, String type, String code, String message, String param) {
        var body = JsonNodeFactory.instance.objectNode();
        var e = body.putObject("error").put("type", type).put("code", code).put("message", message);
        if (param != null) {
            e.put("param", param);
        } else {
            e.putNull("param");
        }
        return PlainHttp.Reply.json(status, body.toString());
    }

    /** The same error object, for a refused sideband upgrade. */
    static PlainHttp.Reply unknownCall(String id) {
        return error(404, "invalid_request_error", "call_not_found", "No active call with id '" + id + "'.", "call_id");
    }
}
