package dev.voicebridge.testkit.abuse;

import static dev.voicebridge.testkit.abuse.HostileRequests.utf8;

import dev.voicebridge.testkit.http.PathVariants;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The hostile requests for signaling-service's later doors, beside {@link SignalingAttacks}' webhook
 * and core call API: the drop-in endpoints under {@code /compat}, {@code POST /v1/calls/outbound},
 * WhatsApp's recording and transcript of a call, and the softphone page. Only requests that must be
 * refused: none of them may create, place or end a call, whatever it is answered.
 */
final class ApiSurfaceAttacks {
    private static final String OUTBOUND = "/v1/calls/outbound";

    private final HostileRequests catalogue;
    private final SignalingAttacks.SignalingTarget target;

    ApiSurfaceAttacks(HostileRequests catalogue, SignalingAttacks.SignalingTarget target) {
        this.catalogue = catalogue;
        this.target = target;
    }

    /** 738 requests with scopes, 708 without. */
    void addAll() {
        String call = target.callId();
        List<String[]> endpoints = List.of(
                new String[] {"POST", "/compat/bridge/start"},
                new String[] {"POST", "/compat/bridge/stop"},
                new String[] {"GET", "/compat/health"},
                new String[] {"POST", "/compat/sessions/" + call + "/webrtc"},
                new String[] {"DELETE", "/compat/sessions/" + call},
                new String[] {"POST", OUTBOUND},
                new String[] {"GET", "/v1/calls/" + call + "/recording"},
                new String[] {"GET", "/v1/calls/" + call + "/transcript"});
        byte[] stop = utf8("{\"callId\":\"" + call + "\"}");
        for (int i = 0; i < 64; i++) {
            String[] endpoint = endpoints.get(i % endpoints.size());
            String token =
                    switch (i / endpoints.size() % 4) {
                        case 0 -> "Bearer " + HexFormat.of().formatHex(catalogue.bytes(16));
                        // (not a trailing space: HTTP strips it from a field value, RFC 9110 5.5)
                        case 1 -> "Bearer " + target.apiToken() + "x";
                        case 2 -> "bearer" + target.apiToken();
                        default -> "Bearer " + target.apiToken().substring(1);
                    };
            catalogue.request(
                    "later doors, bad token",
                    endpoint[0],
                    endpoint[1],
                    Map.of("Authorization", token, "Content-Type", "application/json"),
                    endpoint[0].equals("POST") ? stop : new byte[0],
                    "unauthorized");
        }
        for (String[] endpoint : endpoints) {
            for (String path : PathVariants.of(endpoint[1])) {
                catalogue.request(
                        "later doors, path trick without a token",
                        endpoint[0],
                        path,
                        Map.of("Content-Type", "application/json"),
                        endpoint[0].equals("POST") ? stop : new byte[0],
                        "unauthorized",
                        "not-found",
                        "method-not-allowed",
                        "malformed-request");
            }
        }
        for (String method : List.of("PUT", "PATCH", "PROPFIND")) {
            for (String[] endpoint : endpoints) {
                catalogue.request(
                        "later doors, bad method",
                        method,
                        endpoint[1],
                        bearer(target.apiToken()),
                        new byte[0],
                        "method-not-allowed");
            }
        }
        dropInBodies();
        outboundBodies();
        if (target.scopes() != null) {
            scopes(target.scopes());
        }
        softphone();
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    private void dropInBodies() {
        var valid = bearer(target.apiToken());
        String offer = "\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\"";
        List<String[]> start = List.of(
                new String[] {"{\"callId\":", "malformed-json"},
                new String[] {"[1,2]", "malformed-json"},
                new String[] {"{" + offer + "}", "missing-field"},
                new String[] {"{\"callId\":\"wacid.abuse-dropin\"}", "missing-field"},
                new String[] {"{\"callId\":7," + offer + "}", "invalid-field"},
                new String[] {
                    "{\"callId\":\"wacid.abuse-dropin\"," + offer + ",\"sessionConfig\":\"loud\"}", "invalid-field"
                },
                new String[] {"{\"callId\":\"wacid.abuse-dropin\",\"sdpOffer\":\"hello\"}", "invalid-sdp"},
                new String[] {"{\"callId\":\"" + "c".repeat(600) + "\"," + offer + "}", "invalid-field"});
        for (int i = 0; i < 40; i++) {
            String[] bad = start.get(i % start.size());
            catalogue.request(
                    "drop-in bad bridge/start body", "POST", "/compat/bridge/start", valid, utf8(bad[0]), bad[1]);
        }
        List<String[]> stop = List.of(
                new String[] {"{", "malformed-json"},
                new String[] {"\"wacid.x\"", "malformed-json"},
                new String[] {"{}", "missing-field"},
                new String[] {"{\"callId\":[]}", "invalid-field"},
                new String[] {"{\"callId\":\"wacid.abuse-never-existed\"}", "call-not-found"});
        for (int i = 0; i < 20; i++) {
            String[] bad = stop.get(i % stop.size());
            catalogue.request(
                    "drop-in bad bridge/stop body", "POST", "/compat/bridge/stop", valid, utf8(bad[0]), bad[1]);
        }
        String session = "/compat/sessions/wacid.abuse-session/webrtc";
        List<String[]> webrtc = List.of(
                new String[] {"{\"sdpOffer\":", "malformed-json"},
                new String[] {"{}", "missing-field"},
                new String[] {"{\"sdpOffer\":false}", "invalid-field"},
                new String[] {"{\"sdpOffer\":\"m=audio\"}", "invalid-sdp"},
                new String[] {"{\"sdpOffer\":\"v=0\\r\\na=x:" + "y".repeat(70_000) + "\"}", "sdp-too-large"});
        for (int i = 0; i < 20; i++) {
            String[] bad = webrtc.get(i % webrtc.size());
            catalogue.request("drop-in bad session body", "POST", session, valid, utf8(bad[0]), bad[1]);
        }
        for (int i = 0; i < 6; i++) {
            catalogue.request(
                    "drop-in wrong content type",
                    "POST",
                    "/compat/bridge/start",
                    Map.of("Authorization", "Bearer " + target.apiToken(), "Content-Type", "text/plain"),
                    utf8("{}"),
                    "unsupported-media-type");
        }
    }

    private void outboundBodies() {
        var valid = bearer(target.apiToken());
        List<String[]> bad = List.of(
                new String[] {"{\"to\":", "malformed-json"},
                new String[] {"[\"447700900123\"]", "malformed-json"},
                new String[] {"{\"agent\":\"" + target.agent() + "\"}", "missing-field"},
                new String[] {"{\"to\":\"12ab\"}", "invalid-field"},
                new String[] {"{\"to\":\"1234567890123456789\"}", "invalid-field"},
                new String[] {"{\"recipient\":\"not a user id!\"}", "invalid-field"},
                new String[] {"{\"to\":\"447700900123\",\"callbackData\":\"" + "d".repeat(600) + "\"}", "invalid-field"
                },
                new String[] {"{\"to\":\"447700900123\",\"requestId\":\"has spaces and / slashes\"}", "invalid-field"},
                new String[] {"{\"to\":\"447700900123\",\"maxDurationSeconds\":0}", "invalid-field"},
                new String[] {"{\"to\":\"447700900123\",\"recording\":{\"enabled\":true}}", "missing-field"},
                new String[] {"{\"to\":\"447700900123\",\"recording\":\"yes\"}", "invalid-field"},
                new String[] {"{\"to\":\"447700900123\",\"overrides\":[]}", "invalid-field"});
        for (int i = 0; i < 48; i++) {
            String[] body = bad.get(i % bad.size());
            catalogue.request("outbound bad body", "POST", OUTBOUND, valid, utf8(body[0]), body[1]);
        }
        for (int i = 0; i < 6; i++) {
            var headers = Map.of(
                    "Authorization",
                    "Bearer " + target.apiToken(),
                    "Content-Type",
                    "application/json",
                    "Idempotency-Key",
                    "key-" + i);
            catalogue.request(
                    "outbound key in header and body differ",
                    "POST",
                    OUTBOUND,
                    headers,
                    utf8("{\"to\":\"447700900123\",\"requestId\":\"other-" + i + "\"}"),
                    "invalid-field");
        }
    }

    /** Valid tokens at the later doors, outside their scope or operations. */
    private void scopes(SignalingAttacks.SignalingTarget.Scopes scopes) {
        var reception = bearer(scopes.receptionToken());
        var viewer = bearer(scopes.viewerToken());
        String call = target.callId();
        for (int i = 0; i < 6; i++) {
            catalogue.request(
                    "drop-in wrong-scope stop",
                    "POST",
                    "/compat/bridge/stop",
                    reception,
                    utf8("{\"callId\":\"" + call + "\"}"),
                    "call-not-found");
            catalogue.request(
                    "drop-in wrong-scope session stop",
                    "DELETE",
                    "/compat/sessions/" + call,
                    reception,
                    new byte[0],
                    "call-not-found");
            catalogue.request(
                    "drop-in stop not granted", "DELETE", "/compat/sessions/" + call, viewer, new byte[0], "forbidden");
            catalogue.request(
                    "recording not granted",
                    "GET",
                    "/v1/calls/" + call + "/recording",
                    reception,
                    new byte[0],
                    "forbidden");
            catalogue.request(
                    "outbound not granted",
                    "POST",
                    OUTBOUND,
                    viewer,
                    utf8("{\"to\":\"447700900123\",\"agent\":\"" + scopes.outOfScopeAgent() + "\"}"),
                    "forbidden");
        }
    }

    /** The softphone page is off unless enabled; off, it is no page at all, however it is spelled. */
    private void softphone() {
        for (String path : List.of("/softphone", "/softphone/softphone.js")) {
            for (String variant : PathVariants.of(path)) {
                catalogue.request(
                        "softphone page, not enabled",
                        "GET",
                        variant,
                        Map.of(),
                        new byte[0],
                        "not-found",
                        "malformed-request");
            }
        }
    }
}
