package dev.voicebridge.signaling.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.calls.WorkerAnswers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drop-in endpoints driven with the bodies the existing bridges' edge functions send; the
 * test plays the worker on the mock API server (it writes the answer once the call exists).
 */
class DropInIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OFFER = Fixtures.read("whatsapp-offer.sdp");
    static final String ANSWER =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
    static SignalingTestServer server;

    @BeforeAll
    static void start() throws Exception {
        // The contracts name no agent: calls go to the default one, as webhook calls without a match do.
        server = SignalingTestServer.start(Map.of(
                "voicebridge.webhook.default-agent", SignalingTestServer.AGENT, "voicebridge.api.answer-wait", "3s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String newCallId() {
        return "wacid.dropin" + UUID.randomUUID().toString().replace("-", "");
    }

    /** What the bridge edge functions send to POST /bridge/start. */
    static ObjectNode bridgeStart(String callId) {
        var body = JSON.createObjectNode()
                .put("callId", callId)
                .put("sdpOffer", OFFER)
                .put("from", "447700900123");
        body.putObject("sessionConfig")
                .put("voice", "alloy")
                .put("instructions", "You are a helpful receptionist.")
                .put("temperature", 0.8);
        return body;
    }

    static HttpResponse<String> post(String path, ObjectNode body, String token) throws Exception {
        return server.post(path, JSON.writeValueAsBytes(body), SignalingTestServer.bearer(token));
    }

    static HttpResponse<String> post(String path, ObjectNode body) throws Exception {
        return post(path, body, SignalingTestServer.API_TOKEN);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    static CompletableFuture<Void> answerWhenCreated(String callId) {
        String name = CallNames.forCallId(callId);
        return CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> server.call(name) != null);
            var patch = new VoiceCall();
            WorkerAnswers.answer(patch, ANSWER);
            server.kube()
                    .resources(VoiceCall.class)
                    .inNamespace(SignalingTestServer.NAMESPACE)
                    .withName(name)
                    .patchStatus(patch);
        });
    }

    /** The error shape these clients read, on top of the problem details of the same status and code. */
    static void assertError(HttpResponse<String> response, int status, String code, String detailContains)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        var body = json(response);
        assertThat(body.path("success").isBoolean()).as(response.body()).isTrue();
        assertThat(body.path("success").asBoolean()).isFalse();
        assertThat(body.path("error").asText()).contains(detailContains);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
    }

    @Test
    void bridgeStartCreatesAMediaAcceptedCallAndAnswersInTheBridgesShape() throws Exception {
        String callId = newCallId();
        var worker = answerWhenCreated(callId);
        var response = post("/compat/bridge/start", bridgeStart(callId));
        worker.join();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var body = json(response);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("callId").asText()).isEqualTo(callId);
        assertThat(body.path("sdpAnswer").asText()).isEqualTo(ANSWER);
        assertThat(body.path("sessionId").asText()).isEqualTo(CallNames.forCallId(callId));
        assertThat(body.path("bridgeUrl").asText())
                .isEqualTo(server.uri("/compat").toString());
        assertThat(body.path("warnings").toString()).contains("temperature is ignored");

        var spec = server.call(CallNames.forCallId(callId)).getSpec();
        assertThat(spec.getAcceptBy()).isEqualTo(AcceptBy.media);
        assertThat(spec.getAgentRef()).isEqualTo(SignalingTestServer.AGENT);
        assertThat(spec.getCaller()).isEqualTo("447700900123");
        assertThat(spec.getOverrides().getVoice()).isEqualTo("alloy");
        assertThat(spec.getOverrides().getInstructions()).isEqualTo("You are a helpful receptionist.");

        // A retry of the same start is idempotent, as the call API's is.
        var again = post("/compat/bridge/start", bridgeStart(callId));
        assertThat(json(again).path("sdpAnswer").asText()).isEqualTo(ANSWER);

        var stop = post("/compat/bridge/stop", JSON.createObjectNode().put("callId", callId));
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        assertThat(json(stop).path("success").asBoolean()).isTrue();
        assertThat(server.call(CallNames.forCallId(callId))
                        .getSpec()
                        .getHangup()
                        .getReason())
                .isEqualTo(EndReason.ApiHangup);
    }

    @Test
    void sessionsWebrtcMapsModelInstructionsAndVoiceAndDeleteHangsUp() throws Exception {
        String callId = newCallId();
        var worker = answerWhenCreated(callId);
        var request = JSON.createObjectNode()
                .put("sdpOffer", OFFER)
                .put("openaiModel", "gpt-realtime")
                .put("systemInstructions", "Answer in one sentence.")
                .put("voice", "marin");
        var response = post("/compat/sessions/" + callId + "/webrtc", request);
        worker.join();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("success").asBoolean()).isTrue();
        assertThat(json(response).path("sdpAnswer").asText()).isEqualTo(ANSWER);
        assertThat(json(response).path("sessionId").asText()).isEqualTo(CallNames.forCallId(callId));
        var spec = server.call(CallNames.forCallId(callId)).getSpec();
        assertThat(spec.getAcceptBy()).isEqualTo(AcceptBy.media);
        assertThat(spec.getOverrides().getModel()).isEqualTo("gpt-realtime");
        assertThat(spec.getOverrides().getInstructions()).isEqualTo("Answer in one sentence.");
        assertThat(spec.getOverrides().getVoice()).isEqualTo("marin");

        var delete = server.delete("/compat/sessions/" + callId, server.bearer());
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
        assertThat(json(delete).path("success").asBoolean()).isTrue();
        assertThat(server.call(CallNames.forCallId(callId))
                        .getSpec()
                        .getHangup()
                        .getReason())
                .isEqualTo(EndReason.ApiHangup);
    }

    @Test
    void healthCountsTheClientsUnfinishedVoiceCallsNotOneProcess() throws Exception {
        // A call created behind the service's back (another replica, say) counts too.
        String callId = newCallId();
        server.createCall(callId, SignalingTestServer.AGENT, SignalingTestServer.PHONE_NUMBER_ID);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var health = server.get("/compat/health", server.bearer());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(json(health).path("status").asText()).isEqualTo("ok");
            assertThat(json(health).path("activeSessions").asLong()).isPositive();
            assertThat(json(health).path("uptime").asLong()).isNotNegative();
            assertThat(json(health).path("memory").path("heapUsed").asLong()).isPositive();
        });
        // A client scoped to another agent sees none of them.
        var sales = server.get("/compat/health", SignalingTestServer.bearer(SignalingTestServer.SALES_VIEWER_TOKEN));
        assertThat(json(sales).path("activeSessions").asLong()).isZero();
        assertError(server.get("/compat/health", Map.of()), 401, "unauthorized", "");
    }

    @Test
    void errorsCarrySuccessFalseWithTheProblemsStatusAndCode() throws Exception {
        assertError(
                post("/compat/bridge/start", bridgeStart(newCallId()).put("sdpOffer", "x=0\r\n")),
                400,
                "invalid-sdp",
                "line 1");
        var badVoice = bridgeStart(newCallId());
        ((ObjectNode) badVoice.get("sessionConfig")).put("voice", 7);
        assertError(
                post("/compat/bridge/start", badVoice), 400, "invalid-field", "sessionConfig.voice must be a string");
        assertError(
                post("/compat/bridge/start", bridgeStart(newCallId()).put("sessionConfig", "warm")),
                400,
                "invalid-field",
                "sessionConfig must be an object");
        assertError(
                post(
                        "/compat/sessions/" + newCallId() + "/webrtc",
                        JSON.createObjectNode().put("sdpOffer", OFFER).put("openaiModel", 4)),
                400,
                "invalid-field",
                "openaiModel must be a string");
        assertError(post("/compat/bridge/stop", JSON.createObjectNode()), 400, "missing-field", "callId");
        assertError(
                post("/compat/bridge/stop", JSON.createObjectNode().put("callId", newCallId())),
                404,
                "call-not-found",
                "callId");
        assertError(server.delete("/compat/sessions/" + newCallId(), server.bearer()), 404, "call-not-found", "callId");
        assertError(
                server.post("/compat/bridge/start", "{".getBytes(), server.bearer()), 400, "malformed-json", "JSON");
        // Authentication and operations as on /v1: none is 401, an operation the client lacks 403.
        assertError(
                server.post("/compat/bridge/start", JSON.writeValueAsBytes(bridgeStart(newCallId())), Map.of()),
                401,
                "unauthorized",
                "");
        assertError(
                post("/compat/bridge/start", bridgeStart(newCallId()), SignalingTestServer.SALES_VIEWER_TOKEN),
                403,
                "forbidden",
                "create");
        // Nobody answers: the bounded wait ends in the call API's 504.
        assertError(post("/compat/bridge/start", bridgeStart(newCallId())), 504, "answer-timeout", "no SDP answer");
    }
}
