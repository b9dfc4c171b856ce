package dev.voicebridge.signaling.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.signaling.Endpoints;
import dev.voicebridge.signaling.Endpoints.Endpoint;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.testkit.http.PathVariants;
import dev.voicebridge.testkit.http.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication is bound to the resources, not to path strings: every resource method of the
 * JAX-RS model, reached through every spelling of its path that a router might accept, refuses a
 * missing or wrong credential (401 problem+json) or is not routed at all — never a 2xx, never a
 * resource's own answer. The endpoints are enumerated from Jersey's model, so a new one is covered
 * without touching this test; only the webhook may be public, and it has its own credential.
 */
class AuthenticationBindingIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EXISTING_CALL_ID =
            "wacid.authprobe" + UUID.randomUUID().toString().replace("-", "");
    /**
     * The only resource methods that do not take the bearer token: the webhook checks WhatsApp's
     * signature or verify token; the softphone's static page, script and style sheet hold no data
     * (and are 404 here, where the softphone is off).
     */
    static final Set<String> PUBLIC = Set.of(
            "GET /webhooks/whatsapp",
            "POST /webhooks/whatsapp",
            "GET /softphone",
            "GET /softphone/softphone.js",
            "GET /softphone/softphone.css");

    static SignalingTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SignalingTestServer.start(Map.of("voicebridge.api.answer-wait", "200ms"));
        server.createCall(EXISTING_CALL_ID, SignalingTestServer.AGENT, SignalingTestServer.PHONE_NUMBER_ID);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Credentials that must all fail: none, wrong, another scheme, a prefix and an extension of the real token. */
    static List<Map<String, String>> wrongCredentials() {
        String token = SignalingTestServer.API_TOKEN;
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of());
        out.add(Map.of("Authorization", "Bearer not-the-token"));
        out.add(Map.of(
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + token).getBytes())));
        out.add(Map.of("Authorization", "Bearer " + token.substring(0, token.length() - 1)));
        out.add(Map.of("Authorization", "Bearer " + token + "x"));
        out.add(Map.of("Authorization", "Bearer"));
        out.add(Map.of("Authorization", token));
        return out;
    }

    @Test
    void theModelHasTheEndpointsTheOpenApiDocumentDescribes() throws Exception {
        var endpoints = Endpoints.all().stream().map(Endpoint::key).toList();
        var openapi = JSON.readTree(
                server.get("/openapi", Map.of("Accept", "application/json")).body());
        Set<String> documented = new TreeSet<>();
        openapi.path("paths").properties().forEach(path -> path.getValue()
                .properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        assertThat(endpoints).containsExactlyInAnyOrderElementsOf(documented);
        assertThat(endpoints).as("the call API and the webhook").hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    void everyResourceMethodUnderEveryPathSpellingRefusesAMissingOrWrongCredential() throws Exception {
        RawHttp raw = server.raw();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        List<String> createdIds = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.all()) {
            boolean isPublic = PUBLIC.contains(endpoint.key());
            for (String path : PathVariants.of(endpoint.path(EXISTING_CALL_ID))) {
                for (Map<String, String> credential : wrongCredentials()) {
                    String callId =
                            "wacid.unauth" + UUID.randomUUID().toString().replace("-", "");
                    byte[] body = body(endpoint, callId);
                    if (body.length > 0) {
                        createdIds.add(callId);
                    }
                    var headers = new LinkedHashMap<>(credential);
                    headers.put("Content-Type", "application/json");
                    headers.put("Accept", "*/*");
                    var reply = raw.request(endpoint.httpMethod(), path, headers, body);
                    requests++;
                    String verdict = isPublic ? judgePublic(reply) : judge(reply);
                    if (verdict != null) {
                        failures.add(endpoint + " as " + endpoint.httpMethod() + " " + path + " with " + credential
                                + " -> " + verdict);
                    }
                }
            }
        }
        assertThat(requests).isGreaterThan(1_000);
        failIfAny(failures, requests);
        for (String callId : createdIds) {
            assertThat(server.call(CallNames.forCallId(callId)))
                    .as("no VoiceCall from an unauthenticated create")
                    .isNull();
        }
    }

    @Test
    void headAndOptionsOnEveryPathAreRefusedToo() throws Exception {
        RawHttp raw = server.raw();
        List<String> failures = new ArrayList<>();
        for (String template : Endpoints.all().stream()
                .filter(e -> !PUBLIC.contains(e.key()))
                .map(e -> e.path(EXISTING_CALL_ID))
                .distinct()
                .toList()) {
            for (String path : PathVariants.of(template)) {
                for (String method : List.of("HEAD", "OPTIONS")) {
                    var reply = raw.request(method, path, Map.of(), new byte[0]);
                    if (reply.status() >= 200 && reply.status() < 300) {
                        failures.add(method + " " + path + " -> " + reply.status() + " " + reply.headers());
                    }
                }
            }
        }
        failIfAny(failures, failures.size());
    }

    static void failIfAny(List<String> failures, int requests) {
        if (!failures.isEmpty()) {
            org.assertj.core.api.Assertions.fail("%d of %d requests were not refused, e.g.:%n%s"
                    .formatted(
                            failures.size(),
                            requests,
                            String.join("\n", failures.stream().limit(40).toList())));
        }
    }

    @Test
    void theOperationalEndpointsArePublicAndExposeNothingSensitive() throws Exception {
        String callId = "wacid.publicprobe" + UUID.randomUUID().toString().replace("-", "");
        assertThat(server.webhook(
                                Fixtures.connect(callId, java.time.Instant.now().getEpochSecond()))
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.get("/v1/calls/" + EXISTING_CALL_ID, server.bearer()).statusCode())
                .isEqualTo(200);
        for (String path :
                List.of("/health", "/health/live", "/health/ready", "/metrics", "/metrics/application", "/openapi")) {
            int served = 0;
            for (String accept : List.of("application/json", "text/plain", "application/yaml")) {
                var response = server.get(path, Map.of("Accept", accept));
                served += response.statusCode() == 200 ? 1 : 0;
                assertThat(response.body())
                        .as(path)
                        .doesNotContain(SignalingTestServer.API_TOKEN)
                        .doesNotContain(SignalingTestServer.RECEPTION_TOKEN)
                        .doesNotContain(SignalingTestServer.APP_SECRET)
                        .doesNotContain(SignalingTestServer.VERIFY_TOKEN)
                        .doesNotContain(callId)
                        .doesNotContain(EXISTING_CALL_ID)
                        .doesNotContain("15550100180")
                        .doesNotContain("ice-pwd");
            }
            assertThat(served).as("%s answers without credentials", path).isPositive();
        }
    }

    /** A body the resource would accept, so a request that slips past authentication shows as a 2xx. */
    static byte[] body(Endpoint endpoint, String callId) throws Exception {
        if (!endpoint.key().equals("POST /v1/calls")) {
            return new byte[0];
        }
        var request = JSON.createObjectNode()
                .put("callId", callId)
                .put("sdpOffer", Fixtures.read("whatsapp-offer.sdp"))
                .put("agent", SignalingTestServer.AGENT);
        return JSON.writeValueAsBytes(request);
    }

    /**
     * Null when the reply is a refusal that did not reach the resource: 401 unauthorized, or the
     * request was not routed (404 not-found, 405, or 400 for a request line the server refuses).
     */
    static String judge(RawHttp.Reply reply) {
        String code = code(reply);
        boolean refused =
                switch (reply.status()) {
                    case 401 -> "unauthorized".equals(code);
                    case 404 -> "not-found".equals(code);
                    case 405 -> "method-not-allowed".equals(code);
                    case 400 -> "malformed-request".equals(code);
                    default -> false;
                };
        return refused && isProblem(reply) ? null : reply.toString();
    }

    /** The webhook's own doors: signature or verify token refused, or not routed. */
    static String judgePublic(RawHttp.Reply reply) {
        String code = code(reply);
        boolean refused =
                switch (reply.status()) {
                    case 401 -> "signature-missing".equals(code) || "signature-invalid".equals(code);
                    case 403 -> "verify-token-mismatch".equals(code);
                    case 400 ->
                        "invalid-field".equals(code)
                                || "missing-field".equals(code)
                                || "malformed-request".equals(code);
                    case 404 -> "not-found".equals(code);
                    case 405 -> "method-not-allowed".equals(code);
                    default -> false;
                };
        return refused && isProblem(reply) ? null : reply.toString();
    }

    static boolean isProblem(RawHttp.Reply reply) {
        return "application/problem+json".equals(reply.header("content-type"));
    }

    static String code(RawHttp.Reply reply) {
        try {
            JsonNode body = JSON.readTree(reply.body().getBytes(StandardCharsets.UTF_8));
            return body == null ? null : body.path("code").asText(null);
        } catch (Exception e) {
            return null;
        }
    }
}
