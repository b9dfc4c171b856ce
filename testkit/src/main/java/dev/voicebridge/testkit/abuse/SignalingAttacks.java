package dev.voicebridge.testkit.abuse;

import static dev.voicebridge.testkit.abuse.HostileRequests.head;
import static dev.voicebridge.testkit.abuse.HostileRequests.utf8;

import dev.voicebridge.testkit.Fixtures;
import dev.voicebridge.testkit.http.PathVariants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hostile requests signaling-service meets at its webhook and call API — bad JSON, bodies too
 * large or shorter than declared, wrong content types, bad signatures, out-of-range timestamps,
 * path tricks, bad methods and queries, bad and wrong-scope tokens, clients gone while their
 * create waits — plus {@link HostileRequests}' HTTP-layer attacks on all its endpoints and
 * {@link ApiSurfaceAttacks}' on its later doors (drop-in, outbound, media, softphone). Each
 * knows the codes of docs/signaling.md it may be answered with. Deterministic for a seed.
 */
public final class SignalingAttacks {
    public static final String WEBHOOK = "/webhooks/whatsapp";

    /**
     * What the attacks aim at.
     *
     * @param appSecret the webhook signing secret (attacks that must pass the signature check)
     * @param verifyToken the webhook verification token
     * @param apiToken a call-API token allowed every operation on every call
     * @param agent the VoiceAgent the few valid-token creates name
     * @param callId an existing call the attacks aim at with bad tokens and wrong scopes: it must
     *     survive them
     * @param webhookMaxBodyBytes {@code voicebridge.webhook.max-body-bytes}
     * @param scopes named clients to misuse, or null to leave scopes out
     */
    public record SignalingTarget(
            String appSecret,
            String verifyToken,
            String apiToken,
            String agent,
            String callId,
            int webhookMaxBodyBytes,
            Scopes scopes) {
        /**
         * @param receptionToken a client whose scope does not include {@code callId}'s agent
         * @param viewerToken a client that may read {@code callId} but not hang it up
         * @param outOfScopeAgent an agent the reception client may not create calls for
         */
        public record Scopes(String receptionToken, String viewerToken, String outOfScopeAgent) {}
    }

    private final HostileRequests catalogue;
    private final SignalingTarget target;

    private SignalingAttacks(HostileRequests catalogue, SignalingTarget target) {
        this.catalogue = catalogue;
        this.target = target;
    }

    /**
     * 1,857 requests (34 of them abandoned), the later doors' ({@link ApiSurfaceAttacks})
     * included; 1,767 without scopes.
     */
    public static List<HostileRequests.Attack> all(SignalingTarget target, long seed) {
        var catalogue = new HostileRequests(seed);
        var attacks = new SignalingAttacks(catalogue, target);
        attacks.webhook();
        attacks.callApi();
        new ApiSurfaceAttacks(catalogue, target).addAll();
        attacks.http();
        attacks.aborted();
        return catalogue.attacks();
    }

    private Map<String, String> signed(byte[] body) {
        return Map.of(
                "Content-Type",
                "application/json",
                "X-Hub-Signature-256",
                Fixtures.signature(target.appSecret(), body));
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    private void webhook() {
        var random = catalogue.random();
        List<byte[]> badJson = new ArrayList<>(List.of(
                utf8("{"),
                utf8("[]"),
                utf8("\"text\""),
                utf8("{} trailing"),
                utf8("{\"entry\":"),
                utf8("null"),
                utf8("{\"a\":1}{\"b\":2}"),
                utf8("[".repeat(5_000)),
                utf8("{\"entry\":[{\"changes\":[{\"value\":"),
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1},
                utf8("{'single':'quotes'}"),
                utf8("1e999999")));
        for (int i = 0; i < 48; i++) {
            byte[] noise = new byte[1 + random.nextInt(300)];
            random.nextBytes(noise);
            noise[0] = '{';
            badJson.add(noise);
        }
        for (byte[] body : badJson) {
            catalogue.request("webhook bad JSON, signed", "POST", WEBHOOK, signed(body), body, "malformed-json");
        }
        byte[] real = utf8(Fixtures.connect("wacid.abuse-sig", Instant.now().getEpochSecond()));
        for (int i = 0; i < 90; i++) {
            String header =
                    switch (i % 6) {
                        case 0 -> "sha256=" + HexFormat.of().formatHex(catalogue.bytes(32));
                        case 1 -> "sha1=" + HexFormat.of().formatHex(catalogue.bytes(20));
                        case 2 -> "sha256=" + "zz".repeat(32);
                        case 3 -> "sha256=" + HexFormat.of().formatHex(catalogue.bytes(8 + random.nextInt(100)));
                        case 4 -> "";
                        default -> "sha256=" + "0".repeat(2_000);
                    };
            var headers = new LinkedHashMap<String, String>();
            headers.put("Content-Type", "application/json");
            if (!header.isEmpty()) {
                headers.put("X-Hub-Signature-256", header);
            }
            catalogue.request(
                    "webhook bad signature", "POST", WEBHOOK, headers, real, "signature-missing", "signature-invalid");
        }
        for (String ts : List.of("99999999999999999", "-1", "253402300800", "1" + "0".repeat(40))) {
            for (int i = 0; i < 8; i++) {
                byte[] body = utf8(Fixtures.connect("wacid.abuse-ts" + i, 1)
                        .replaceAll("\"timestamp\": \"[0-9]+\"", "\"timestamp\": \"" + ts + "\""));
                catalogue.request(
                        "webhook out-of-range timestamp", "POST", WEBHOOK, signed(body), body, "invalid-timestamp");
            }
        }
        for (String type : List.of(
                "text/xml",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "image/png",
                ";;;",
                "application/json; charset=\"",
                "*/*",
                "text/plain; charset=ebcdic")) {
            for (int i = 0; i < 5; i++) {
                catalogue.request(
                        "webhook wrong content type, unsigned",
                        "POST",
                        WEBHOOK,
                        Map.of("Content-Type", type),
                        real,
                        "signature-missing",
                        "malformed-request",
                        "unsupported-media-type");
            }
        }
        for (int i = 0; i < 40; i++) {
            int declared = 100 + random.nextInt(5_000);
            byte[] partial = new byte[1 + random.nextInt(50)];
            catalogue.add(
                    "webhook body shorter than its Content-Length",
                    raw -> raw.exchange(
                            head(
                                    "POST",
                                    WEBHOOK,
                                    "Content-Type: application/json\r\nContent-Length: " + declared,
                                    partial),
                            true,
                            Duration.ofSeconds(20)),
                    "incomplete-body");
        }
        catalogue.declaredBodyAboveLimit(WEBHOOK, 20, 3_000_000L);
        byte[] big = utf8("{\"pad\":\"" + "x".repeat(target.webhookMaxBodyBytes() + 5_000) + "\"}");
        for (int i = 0; i < 6; i++) {
            catalogue.request("webhook body above its bound", "POST", WEBHOOK, signed(big), big, "body-too-large");
        }
        for (int i = 0; i < 10; i++) {
            catalogue.add(
                    "webhook chunked body with a bad chunk size",
                    raw -> raw.exchange(
                            head(
                                    "POST",
                                    WEBHOOK,
                                    "Content-Type: application/json\r\nTransfer-Encoding: chunked",
                                    utf8("zz\r\n{}\r\n0\r\n\r\n")),
                            true,
                            Duration.ofSeconds(20)),
                    "incomplete-body",
                    "malformed-request");
        }
        for (String query : List.of(
                "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=x",
                "?hub.mode=subscribe&hub.challenge=x",
                "?hub.mode=unsubscribe&hub.verify_token=" + target.verifyToken() + "&hub.challenge=x",
                "?hub.mode=subscribe&hub.verify_token=" + target.verifyToken(),
                "?hub.mode=%ZZ&hub.challenge=x",
                "")) {
            for (int i = 0; i < 7; i++) {
                catalogue.request(
                        "webhook verification with wrong parameters",
                        "GET",
                        WEBHOOK + query,
                        Map.of(),
                        new byte[0],
                        "verify-token-mismatch",
                        "invalid-field",
                        "missing-field",
                        "malformed-request");
            }
        }
    }

    private void callApi() {
        var random = catalogue.random();
        byte[] create = utf8("{\"callId\":\"wacid.abuse-create\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\","
                + "\"agent\":\"" + target.agent() + "\"}");
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/v1/calls"},
                new String[] {"POST", "/v1/calls"},
                new String[] {"GET", "/v1/calls/" + target.callId()},
                new String[] {"DELETE", "/v1/calls/" + target.callId()},
                new String[] {"POST", "/v1/calls/" + target.callId() + "/accepted"});
        for (int i = 0; i < 100; i++) {
            String[] endpoint = endpoints.get(i % endpoints.size());
            String token =
                    switch (i % 4) {
                        case 0 -> "Bearer " + HexFormat.of().formatHex(catalogue.bytes(16));
                        case 1 -> "Bearer " + target.apiToken().toUpperCase(Locale.ROOT);
                        case 2 -> "Basic " + Base64.getEncoder().encodeToString(utf8("admin:" + target.apiToken()));
                        default -> "Bearer " + "x".repeat(3_000);
                    };
            catalogue.request(
                    "call API bad token",
                    endpoint[0],
                    endpoint[1],
                    Map.of("Authorization", token, "Content-Type", "application/json"),
                    endpoint[0].equals("POST") ? create : new byte[0],
                    "unauthorized");
        }
        for (String[] endpoint : endpoints) {
            for (String path : PathVariants.of(endpoint[1])) {
                catalogue.request(
                        "call API path trick without a token",
                        endpoint[0],
                        path,
                        Map.of("Content-Type", "application/json"),
                        endpoint[1].equals("/v1/calls") && endpoint[0].equals("POST") ? create : new byte[0],
                        "unauthorized",
                        "not-found",
                        "method-not-allowed",
                        "malformed-request");
            }
        }
        if (target.scopes() != null) {
            scopes(target.scopes());
        }
        var valid = bearer(target.apiToken());
        List<String[]> badBodies = List.of(
                new String[] {"{\"callId\":", "malformed-json"},
                new String[] {"[]", "malformed-json"},
                new String[] {"{\"sdpOffer\":\"v=0\"}", "missing-field"},
                new String[] {"{\"callId\":42,\"sdpOffer\":\"v=0\"}", "invalid-field"},
                new String[] {"{\"callId\":\"x\",\"sdpOffer\":\"x=0\"}", "invalid-sdp"},
                new String[] {
                    "{\"callId\":\"x\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\",\"acceptBy\":\"robot\"}",
                    "invalid-field"
                },
                new String[] {
                    "{\"callId\":\"x\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\na=x:" + "y".repeat(70_000) + "\"}",
                    "sdp-too-large"
                },
                new String[] {"{\"callId\":\"" + "c".repeat(600) + "\",\"sdpOffer\":\"v=0\"}", "invalid-field"});
        for (int i = 0; i < 56; i++) {
            String[] bad = badBodies.get(i % badBodies.size());
            catalogue.request("call API bad body", "POST", "/v1/calls", valid, utf8(bad[0]), bad[1]);
        }
        for (String type : List.of("text/xml", "text/plain", "application/x-www-form-urlencoded", "image/gif")) {
            for (int i = 0; i < 6; i++) {
                catalogue.request(
                        "call API wrong content type",
                        "POST",
                        "/v1/calls",
                        Map.of("Authorization", "Bearer " + target.apiToken(), "Content-Type", type),
                        create,
                        "unsupported-media-type");
            }
        }
        for (String query : List.of(
                "limit=0",
                "limit=-5",
                "limit=1000000",
                "limit=abc",
                "continue=%%%",
                "continue=e30",
                "phase=Dialling",
                "continue=" + "A".repeat(3_000))) {
            for (int i = 0; i < 4; i++) {
                catalogue.request(
                        "call API bad query",
                        "GET",
                        "/v1/calls?" + query,
                        valid,
                        new byte[0],
                        "invalid-field",
                        "invalid-continue",
                        "invalid-phase",
                        "malformed-request");
            }
        }
        for (int i = 0; i < 20; i++) {
            catalogue.request(
                    "call API unacceptable Accept",
                    "GET",
                    "/v1/calls",
                    Map.of(
                            "Authorization",
                            "Bearer " + target.apiToken(),
                            "Accept",
                            i % 2 == 0 ? "image/png" : "text/html"),
                    new byte[0],
                    "not-acceptable");
        }
        for (String method : List.of("PUT", "PATCH", "FOO", "PROPFIND")) {
            for (String[] endpoint : endpoints) {
                for (int i = 0; i < 2; i++) {
                    catalogue.request(
                            "call API bad method", method, endpoint[1], valid, new byte[0], "method-not-allowed");
                }
            }
        }
        for (int i = 0; i < 12; i++) {
            int declared = 200 + random.nextInt(2_000);
            catalogue.add(
                    "call API body shorter than its Content-Length",
                    raw -> raw.exchange(
                            head(
                                    "POST",
                                    "/v1/calls",
                                    "Authorization: Bearer " + target.apiToken()
                                            + "\r\nContent-Type: application/json\r\n" + "Content-Length: " + declared,
                                    utf8("{\"callId\":")),
                            true,
                            Duration.ofSeconds(20)),
                    "incomplete-body");
        }
    }

    /** Valid tokens used outside their scope: {@code target.callId()} is outside the receptionist's. */
    private void scopes(SignalingTarget.Scopes scopes) {
        var reception = bearer(scopes.receptionToken());
        var viewer = bearer(scopes.viewerToken());
        for (int i = 0; i < 12; i++) {
            catalogue.request(
                    "wrong-scope read",
                    "GET",
                    "/v1/calls/" + target.callId(),
                    reception,
                    new byte[0],
                    "call-not-found");
            catalogue.request(
                    "wrong-scope hang-up",
                    "DELETE",
                    "/v1/calls/" + target.callId(),
                    reception,
                    new byte[0],
                    "call-not-found");
            catalogue.request(
                    "wrong-scope accept",
                    "POST",
                    "/v1/calls/" + target.callId() + "/accepted",
                    reception,
                    new byte[0],
                    "call-not-found");
            catalogue.request(
                    "operation not granted",
                    "DELETE",
                    "/v1/calls/" + target.callId(),
                    viewer,
                    new byte[0],
                    "forbidden");
            catalogue.request(
                    "wrong-scope create",
                    "POST",
                    "/v1/calls",
                    reception,
                    utf8("{\"callId\":\"wacid.abuse-scope" + i + "\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\","
                            + "\"agent\":\"" + scopes.outOfScopeAgent() + "\"}"),
                    "agent-not-found");
        }
    }

    private void http() {
        List<String> operational = List.of("/health/ready", "/metrics", "/openapi");
        List<String> surfaces = List.of(WEBHOOK, "/v1/calls", "/health/ready", "/metrics", "/openapi");
        for (String surface : surfaces) {
            catalogue.oversizedRequestLines(surface, 4).oversizedHeaders(surface, 6);
            if (operational.contains(surface)) {
                catalogue.badMethods(surface, 2);
            }
        }
        // Five paths against twelve kinds of garbage: every kind meets every kind of endpoint.
        catalogue.unparseable(surfaces, 60);
        for (String path : List.of(
                "/health;x=1/ready",
                "/health/./ready",
                "/health//ready",
                "/HEALTH/ready",
                "/health/x/../ready",
                "/metrics;a=b",
                "/openapi/..;/v1/calls",
                "/health/%2e%2e/v1/calls")) {
            for (int i = 0; i < 3; i++) {
                catalogue.add(
                        "operational endpoint path trick, bad method",
                        raw -> raw.request("PUT", path, Map.of(), utf8("{}")),
                        "not-found",
                        "method-not-allowed",
                        "malformed-request",
                        "unauthorized");
            }
        }
    }

    private void aborted() {
        catalogue.aborted(WEBHOOK, 15).aborted("/v1/calls", 15);
        for (int i = 0; i < 4; i++) {
            byte[] body = utf8("{\"callId\":\"wacid.abuse-gone" + i
                    + "\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\"," + "\"agent\":\"" + target.agent() + "\"}");
            byte[] request = head(
                    "POST",
                    "/v1/calls",
                    "Authorization: Bearer " + target.apiToken()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length,
                    body);
            catalogue.add("client gone while its create waits", raw -> {
                raw.abort(request, Duration.ofMillis(200));
                return null;
            });
        }
    }
}
