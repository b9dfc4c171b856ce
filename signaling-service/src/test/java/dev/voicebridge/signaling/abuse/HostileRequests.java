package dev.voicebridge.signaling.abuse;

import static dev.voicebridge.signaling.SignalingTestServer.API_TOKEN;
import static dev.voicebridge.signaling.SignalingTestServer.APP_SECRET;

import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.PathVariants;
import dev.voicebridge.signaling.RawHttp;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.security.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The catalogue of hostile requests the abuse test throws at every HTTP surface: bad JSON, bodies
 * too large or shorter than declared, wrong content types, bad signatures, out-of-range timestamps,
 * path tricks, bad methods, oversized request lines and headers, unparseable HTTP, bad and
 * wrong-scope tokens, and clients that hang up half way. Each knows the codes it may be answered
 * with, so the test checks the specific refusal, not just "some error".
 */
final class HostileRequests {
    static final String WEBHOOK = "/webhooks/whatsapp";

    /** One hostile request: how to send it and the problem codes that are a correct answer (none: no answer expected). */
    record Attack(String kind, Function<RawHttp, RawHttp.Reply> send, Set<String> codes) {}

    private final Random random = new Random(20_251_206L);
    private final List<Attack> attacks = new ArrayList<>();
    private final String salesCallId;

    private HostileRequests(String salesCallId) {
        this.salesCallId = salesCallId;
    }

    /** About 1,100 requests (1,085 answered, 34 abandoned); {@code salesCallId} is outside the receptionist client's scope. */
    static List<Attack> all(String salesCallId) {
        var catalogue = new HostileRequests(salesCallId);
        catalogue.webhook();
        catalogue.callApi();
        catalogue.http();
        catalogue.aborted();
        return List.copyOf(catalogue.attacks);
    }

    private void add(String kind, Function<RawHttp, RawHttp.Reply> send, String... codes) {
        attacks.add(new Attack(kind, send, Set.of(codes)));
    }

    private void request(
            String kind, String method, String path, Map<String, String> headers, byte[] body, String... codes) {
        add(kind, raw -> raw.request(method, path, headers, body), codes);
    }

    private static Map<String, String> signed(byte[] body) {
        return Map.of(
                "Content-Type",
                "application/json",
                "X-Hub-Signature-256",
                new WebhookSignature(dev.voicebridge.signaling.config.SecretValue.of(APP_SECRET)).header(body));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void webhook() {
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
            request("webhook bad JSON, signed", "POST", WEBHOOK, signed(body), body, "malformed-json");
        }
        byte[] real = utf8(Fixtures.connect("wacid.abuse-sig", Instant.now().getEpochSecond()));
        for (int i = 0; i < 90; i++) {
            String header =
                    switch (i % 6) {
                        case 0 -> "sha256=" + HexFormat.of().formatHex(bytes(32));
                        case 1 -> "sha1=" + HexFormat.of().formatHex(bytes(20));
                        case 2 -> "sha256=" + "zz".repeat(32);
                        case 3 -> "sha256=" + HexFormat.of().formatHex(bytes(8 + random.nextInt(100)));
                        case 4 -> "";
                        default -> "sha256=" + "0".repeat(2_000);
                    };
            var headers = new LinkedHashMap<String, String>();
            headers.put("Content-Type", "application/json");
            if (!header.isEmpty()) {
                headers.put("X-Hub-Signature-256", header);
            }
            request("webhook bad signature", "POST", WEBHOOK, headers, real, "signature-missing", "signature-invalid");
        }
        for (String ts : List.of("99999999999999999", "-1", "253402300800", "1" + "0".repeat(40))) {
            for (int i = 0; i < 8; i++) {
                byte[] body = utf8(Fixtures.connect("wacid.abuse-ts" + i, 1)
                        .replaceAll("\"timestamp\": \"[0-9]+\"", "\"timestamp\": \"" + ts + "\""));
                request("webhook out-of-range timestamp", "POST", WEBHOOK, signed(body), body, "invalid-timestamp");
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
                request(
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
            add(
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
        for (int i = 0; i < 20; i++) {
            long declared = 3_000_000L + random.nextInt(1_000_000_000);
            add(
                    "webhook Content-Length above the server limit",
                    raw -> raw.exchange(
                            head(
                                    "POST",
                                    WEBHOOK,
                                    "Content-Type: application/json\r\nContent-Length: " + declared,
                                    utf8("{")),
                            false,
                            Duration.ofSeconds(20)),
                    "body-too-large");
        }
        byte[] big = utf8("{\"pad\":\"" + "x".repeat(70_000) + "\"}");
        for (int i = 0; i < 6; i++) {
            request("webhook body above its bound", "POST", WEBHOOK, signed(big), big, "body-too-large");
        }
        for (int i = 0; i < 10; i++) {
            add(
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
                "?hub.mode=unsubscribe&hub.verify_token=" + SignalingTestServer.VERIFY_TOKEN + "&hub.challenge=x",
                "?hub.mode=subscribe&hub.verify_token=" + SignalingTestServer.VERIFY_TOKEN,
                "?hub.mode=%ZZ&hub.challenge=x",
                "")) {
            for (int i = 0; i < 7; i++) {
                request(
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
        byte[] create = utf8("{\"callId\":\"wacid.abuse-create\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\","
                + "\"agent\":\"" + SignalingTestServer.AGENT + "\"}");
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/v1/calls"},
                new String[] {"POST", "/v1/calls"},
                new String[] {"GET", "/v1/calls/" + salesCallId},
                new String[] {"DELETE", "/v1/calls/" + salesCallId},
                new String[] {"POST", "/v1/calls/" + salesCallId + "/accepted"});
        for (int i = 0; i < 100; i++) {
            String[] endpoint = endpoints.get(i % endpoints.size());
            String token =
                    switch (i % 4) {
                        case 0 -> "Bearer " + HexFormat.of().formatHex(bytes(16));
                        case 1 -> "Bearer " + API_TOKEN.toUpperCase(java.util.Locale.ROOT);
                        case 2 -> "Basic " + java.util.Base64.getEncoder().encodeToString(utf8("admin:" + API_TOKEN));
                        default -> "Bearer " + "x".repeat(3_000);
                    };
            request(
                    "call API bad token",
                    endpoint[0],
                    endpoint[1],
                    Map.of("Authorization", token, "Content-Type", "application/json"),
                    endpoint[0].equals("POST") ? create : new byte[0],
                    "unauthorized");
        }
        for (String[] endpoint : endpoints) {
            for (String path : PathVariants.of(endpoint[1])) {
                request(
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
        var reception = SignalingTestServer.bearer(SignalingTestServer.RECEPTION_TOKEN);
        var viewer = SignalingTestServer.bearer(SignalingTestServer.SALES_VIEWER_TOKEN);
        for (int i = 0; i < 12; i++) {
            request("wrong-scope read", "GET", "/v1/calls/" + salesCallId, reception, new byte[0], "call-not-found");
            request(
                    "wrong-scope hang-up",
                    "DELETE",
                    "/v1/calls/" + salesCallId,
                    reception,
                    new byte[0],
                    "call-not-found");
            request(
                    "wrong-scope accept",
                    "POST",
                    "/v1/calls/" + salesCallId + "/accepted",
                    reception,
                    new byte[0],
                    "call-not-found");
            request("operation not granted", "DELETE", "/v1/calls/" + salesCallId, viewer, new byte[0], "forbidden");
            request(
                    "wrong-scope create",
                    "POST",
                    "/v1/calls",
                    reception,
                    utf8("{\"callId\":\"wacid.abuse-scope" + i + "\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\","
                            + "\"agent\":\"" + SignalingTestServer.SALES_AGENT + "\"}"),
                    "agent-not-found");
        }
        var valid = SignalingTestServer.bearer(API_TOKEN);
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
            request("call API bad body", "POST", "/v1/calls", valid, utf8(bad[0]), bad[1]);
        }
        for (String type : List.of("text/xml", "text/plain", "application/x-www-form-urlencoded", "image/gif")) {
            for (int i = 0; i < 6; i++) {
                request(
                        "call API wrong content type",
                        "POST",
                        "/v1/calls",
                        Map.of("Authorization", "Bearer " + API_TOKEN, "Content-Type", type),
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
                request(
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
            request(
                    "call API unacceptable Accept",
                    "GET",
                    "/v1/calls",
                    Map.of("Authorization", "Bearer " + API_TOKEN, "Accept", i % 2 == 0 ? "image/png" : "text/html"),
                    new byte[0],
                    "not-acceptable");
        }
        for (String method : List.of("PUT", "PATCH", "FOO", "PROPFIND")) {
            for (String[] endpoint : endpoints) {
                for (int i = 0; i < 2; i++) {
                    request("call API bad method", method, endpoint[1], valid, new byte[0], "method-not-allowed");
                }
            }
        }
        for (int i = 0; i < 12; i++) {
            int declared = 200 + random.nextInt(2_000);
            add(
                    "call API body shorter than its Content-Length",
                    raw -> raw.exchange(
                            head(
                                    "POST",
                                    "/v1/calls",
                                    "Authorization: Bearer " + API_TOKEN + "\r\nContent-Type: application/json\r\n"
                                            + "Content-Length: " + declared,
                                    utf8("{\"callId\":")),
                            true,
                            Duration.ofSeconds(20)),
                    "incomplete-body");
        }
    }

    private void http() {
        List<String> surfaces = List.of(WEBHOOK, "/v1/calls", "/health/ready", "/metrics", "/openapi");
        for (String surface : surfaces) {
            for (int i = 0; i < 4; i++) {
                String path = surface + "?q=" + "a".repeat(5_000 + random.nextInt(3_000));
                request("oversized request line", "GET", path, Map.of(), new byte[0], "uri-too-long");
            }
            for (int i = 0; i < 6; i++) {
                var headers = new LinkedHashMap<String, String>();
                if (i % 2 == 0) {
                    headers.put("X-Big", "b".repeat(20_000 + random.nextInt(20_000)));
                } else {
                    for (int h = 0; h < 1_500; h++) {
                        headers.put("X-H" + h, "value-" + h);
                    }
                }
                request("oversized header section", "GET", surface, headers, new byte[0], "headers-too-large");
            }
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
                if (surface.startsWith("/health") || surface.equals("/metrics") || surface.equals("/openapi")) {
                    for (int i = 0; i < 2; i++) {
                        request(
                                "bad method on an operational endpoint",
                                method,
                                surface,
                                Map.of(),
                                utf8("{}"),
                                "not-found",
                                "method-not-allowed");
                    }
                }
            }
        }
        List<String[]> garbage = List.of(
                new String[] {"\u0001\u0002\u0003 / HTTP/1.1\r\nHost: x", "malformed-request"},
                new String[] {"GET /health/ready HTTP/1.0\r\nHost: x", "http-version-not-supported"},
                new String[] {"GET /health/ready HTTP/9.9\r\nHost: x", "malformed-request", "http-version-not-supported"
                },
                new String[] {"GET /health ready HTTP/1.1\r\nHost: x", "malformed-request"},
                new String[] {"GET\r\nHost: x", "malformed-request"},
                new String[] {"GET /v1/calls HTTP/1.1\r\nHost: x\r\nBad Header: y", "malformed-request"},
                new String[] {"GET /v1/calls HTTP/1.1\r\nHost: x\r\nno-colon-here", "malformed-request"},
                new String[] {"POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Length: abc", "malformed-request"
                },
                new String[] {"POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Length: -5", "malformed-request"},
                new String[] {"GET /v1/calls HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0000b", "malformed-request"},
                new String[] {"GET /%zz HTTP/1.1\r\nHost: x", "malformed-request", "not-found"},
                new String[] {"GET /health/ready HTTP/1.1", "malformed-request"});
        for (int i = 0; i < 60; i++) {
            String[] g = garbage.get(i % garbage.size());
            String[] codes = java.util.Arrays.copyOfRange(g, 1, g.length);
            add("unparseable HTTP", raw -> raw.send(g[0] + "\r\nConnection: close", new byte[0]), codes);
        }
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
                add(
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
        for (int i = 0; i < 30; i++) {
            byte[] partial = i % 2 == 0
                    ? utf8("POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{\"entry\":[")
                    : utf8("GET /v1/calls HTTP/1.1\r\nHost: x\r\nAuthor");
            add("connection reset mid-request", raw -> {
                raw.abort(partial, Duration.ofMillis(20));
                return null;
            });
        }
        for (int i = 0; i < 4; i++) {
            byte[] body =
                    utf8("{\"callId\":\"wacid.abuse-gone" + i + "\",\"sdpOffer\":\"v=0\\r\\nm=audio 9 UDP 0\\r\\n\","
                            + "\"agent\":\"" + SignalingTestServer.AGENT + "\"}");
            byte[] request = head(
                    "POST",
                    "/v1/calls",
                    "Authorization: Bearer " + API_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length,
                    body);
            add("client gone while its create waits", raw -> {
                raw.abort(request, Duration.ofMillis(200));
                return null;
            });
        }
    }

    private static byte[] head(String method, String path, String headers, byte[] body) {
        byte[] head = utf8(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n\r\n");
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }
}
