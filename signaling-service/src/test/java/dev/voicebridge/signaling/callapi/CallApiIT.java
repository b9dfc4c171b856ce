package dev.voicebridge.signaling.callapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.LogCapture;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.calls.WorkerAnswers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The call API against the running service; the test plays operator and worker on the mock. */
class CallApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OFFER = Fixtures.read("whatsapp-offer.sdp");
    static final String ANSWER =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
    static SignalingTestServer server;
    static LogCapture logs;

    // 8 s: long enough that 50 setups answered one by one on a loaded 2-core CI machine still fit.
    @BeforeAll
    static void start() throws Exception {
        server = SignalingTestServer.start(Map.of("voicebridge.api.answer-wait", "8s"));
        logs = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        logs.close();
        server.close();
    }

    static String newCallId() {
        return "wacid.api" + UUID.randomUUID().toString().replace("-", "") + "==";
    }

    static ObjectNode request(String callId, String offer) {
        var body = JSON.createObjectNode()
                .put("callId", callId)
                .put("sdpOffer", offer)
                .put("from", "447700900123")
                .put("to", "15550001906")
                .put("agent", SignalingTestServer.AGENT);
        body.putObject("overrides").put("voice", "cedar").put("instructions", "Be brief.");
        return body;
    }

    static HttpResponse<String> post(ObjectNode body) throws Exception {
        return server.post("/v1/calls", JSON.writeValueAsBytes(body), server.bearer());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Plays the worker/operator: once the call exists, writes the given status part. */
    static CompletableFuture<Void> whenCreated(String callId, Consumer<VoiceCall> writeStatus) {
        String name = CallNames.forCallId(callId);
        return CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
                try {
                    return server.call(name) != null;
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    throw e;
                }
            });
            var patch = new VoiceCall();
            writeStatus.accept(patch);
            server.kube()
                    .resources(VoiceCall.class)
                    .inNamespace(SignalingTestServer.NAMESPACE)
                    .withName(name)
                    .patchStatus(patch);
        });
    }

    static Consumer<VoiceCall> answer(String sdp) {
        return patch -> WorkerAnswers.answer(patch, sdp);
    }

    @Test
    void createWaitsForTheWorkersAnswerAndReturnsIt() throws Exception {
        String callId = newCallId();
        var worker = whenCreated(callId, answer(ANSWER));
        var response = post(request(callId, OFFER));
        worker.join();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String name = CallNames.forCallId(callId);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/v1/calls/" + name));
        assertThat(json(response).path("sdpAnswer").asText()).isEqualTo(ANSWER);
        assertThat(json(response).path("name").asText()).isEqualTo(name);
        assertThat(json(response).path("callId").asText()).isEqualTo(callId);

        var spec = server.call(name).getSpec();
        assertThat(spec.getSource()).isEqualTo(CallSource.api);
        assertThat(spec.getAcceptBy()).isEqualTo(AcceptBy.caller);
        assertThat(spec.getAgentRef()).isEqualTo(SignalingTestServer.AGENT);
        assertThat(spec.getSdpOffer()).isEqualTo(OFFER);
        assertThat(spec.getCallerDisplay()).isEqualTo("+44*******123");
        assertThat(spec.getOverrides().getVoice()).isEqualTo("cedar");
        assertThat(server.call(name).getMetadata().getAnnotations().get(Labels.TRACEPARENT_ANNOTATION))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]"); // flags: sampled, random trace id (W3C Trace Context
        // Level 2)

        // Same call id and offer: the same answer, at once, and still one resource.
        var again = post(request(callId, OFFER));
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(json(again).path("sdpAnswer").asText()).isEqualTo(ANSWER);
        assertThat(server.calls())
                .filteredOn(c -> c.getSpec().getCallId().equals(callId))
                .hasSize(1);

        // Same call id, another offer: conflict.
        var conflict = post(request(callId, OFFER.replace("a=ice-ufrag:AeinEGDfvqBctbtM", "a=ice-ufrag:zzzz")));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).path("code").asText()).isEqualTo("call-id-conflict");
    }

    @Test
    void noCapacityIs503WithRetryAfter() throws Exception {
        String callId = newCallId();
        var operator = whenCreated(callId, patch -> {
            var end = new CallEnd();
            end.setReason(EndReason.NoCapacity);
            end.setMessage("all 3 workers full");
            patch.statusOrNew().setEnd(end);
            patch.getStatus().setPhase(CallPhase.Failed);
        });
        var response = post(request(callId, OFFER));
        operator.join();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(json(response).path("code").asText()).isEqualTo("no-capacity");
        assertThat(json(response).path("detail").asText()).contains("all 3 workers full");
    }

    @Test
    void noAnswerWithinTheBoundIs504() throws Exception {
        long started = System.nanoTime();
        var response = post(request(newCallId(), OFFER));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response).path("code").asText()).isEqualTo("answer-timeout");
        assertThat(tookMillis).isBetween(7900L, 20_000L);
    }

    @Test
    void withoutTheRightBearerTokenNothingHappens() throws Exception {
        String callId = newCallId();
        byte[] body = JSON.writeValueAsBytes(request(callId, OFFER));
        var none = server.post("/v1/calls", body, Map.of("Content-Type", "application/json"));
        var wrong = server.post("/v1/calls", body, Map.of("Authorization", "Bearer nope"));
        var list = server.get("/v1/calls", Map.of("Authorization", "Basic dGVzdA=="));
        for (var response : List.of(none, wrong, list)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(response).path("code").asText()).isEqualTo("unauthorized");
        }
        assertThat(server.call(CallNames.forCallId(callId))).isNull();
    }

    @Test
    void invalidRequestsAre400WithStableCodesAndSpecificDetails() throws Exception {
        assertProblem(post(request(newCallId(), "x=0\r\n" + OFFER)), 400, "invalid-sdp", "line 1");
        assertProblem(
                post(request(newCallId(), OFFER.replace("a=rtcp-mux\r\n", "a=rtcp-mux\r\nbogus line\r\n"))),
                400,
                "invalid-sdp",
                "bogus line");
        assertProblem(
                post(request(newCallId(), "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")),
                400,
                "invalid-sdp",
                "m=audio");
        assertProblem(
                post(request(newCallId(), OFFER + "a=x:" + "y".repeat(70_000) + "\r\n")),
                400,
                "sdp-too-large",
                "65536");
        var noCallId = request("x", OFFER);
        noCallId.remove("callId");
        assertProblem(post(noCallId), 400, "missing-field", "callId");
        assertProblem(post(request(newCallId(), OFFER).put("acceptBy", "robot")), 400, "invalid-field", "acceptBy");
        assertProblem(
                post(request(newCallId(), OFFER).put("maxDurationSeconds", 0)),
                400,
                "invalid-field",
                "maxDurationSeconds");
        assertProblem(post(request(newCallId(), OFFER).put("agent", "nobody")), 404, "agent-not-found", "nobody");
        assertProblem(
                server.post("/v1/calls", "{\"callId\":".getBytes(StandardCharsets.UTF_8), server.bearer()),
                400,
                "malformed-json",
                "JSON");
        assertProblem(server.get("/v1/calls?phase=Dialling", server.bearer()), 400, "invalid-phase", "Dialling");
        assertProblem(server.get("/v1/calls/wacid.unknown", server.bearer()), 404, "call-not-found", "callId");
    }

    static void assertProblem(HttpResponse<String> response, int status, String code, String detailContains)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("code").asText()).isEqualTo(code);
        assertThat(json(response).path("detail").asText()).contains(detailContains);
    }

    @Test
    void acceptedDeleteGetAndListWorkOnALiveCall() throws Exception {
        String callId = newCallId();
        String name = CallNames.forCallId(callId);
        var worker = whenCreated(callId, answer(ANSWER));
        assertThat(post(request(callId, OFFER)).statusCode()).isEqualTo(201);
        worker.join();

        String path = "/v1/calls/" + callId;
        assertThat(server.post(path + "/accepted", new byte[0], server.bearer()).statusCode())
                .isEqualTo(204);
        String acceptedAt = server.call(name).getMetadata().getAnnotations().get(Labels.ACCEPTED_ANNOTATION);
        assertThat(acceptedAt).isNotNull();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.post(path + "/accepted", new byte[0], server.bearer())
                                .statusCode()
                        == 204);
        assertThat(server.call(name).getMetadata().getAnnotations().get(Labels.ACCEPTED_ANNOTATION))
                .isEqualTo(acceptedAt);

        // The worker reports figures and transcript lines; GET shows them.
        var figures = new VoiceCall();
        figures.statusOrNew().setPhase(CallPhase.Connected);
        var media = new MediaStatus();
        media.setPacketsIn(1500L);
        media.setJitterMillis(4.5);
        figures.getStatus().setMedia(media);
        var agent = new AgentStatus();
        var line = new TranscriptLine();
        line.setRole("agent");
        line.setText("Hello, how can I help?");
        agent.setTranscript(List.of(line));
        agent.setResponses(1);
        figures.getStatus().setAgent(agent);
        server.kube()
                .resources(VoiceCall.class)
                .inNamespace(SignalingTestServer.NAMESPACE)
                .withName(name)
                .patchStatus(figures);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var view = json(server.get(path, server.bearer()));
            assertThat(view.path("phase").asText()).isEqualTo("Connected");
            assertThat(view.path("media").path("packetsIn").asLong()).isEqualTo(1500);
            assertThat(view.path("agentStatus")
                            .path("transcript")
                            .get(0)
                            .path("text")
                            .asText())
                    .isEqualTo("Hello, how can I help?");
            assertThat(view.path("acceptedAt").asText()).isEqualTo(acceptedAt);
            assertThat(view.path("callerDisplay").asText()).isEqualTo("+44*******123");
            assertThat(view.toString()).doesNotContain("447700900123");
        });
        var connected = json(server.get("/v1/calls?phase=connected", server.bearer()));
        assertThat(connected.path("items").findValuesAsText("callId")).contains(callId);
        assertThat(connected.path("items").findValuesAsText("phase")).containsOnly("Connected");

        var hangup = server.delete(path, server.bearer());
        assertThat(hangup.statusCode()).isEqualTo(202);
        assertThat(server.call(name).getSpec().getHangup().getReason()).isEqualTo(EndReason.ApiHangup);
        assertThat(server.delete(path, server.bearer()).statusCode()).isEqualTo(202);
        assertThat(server.delete("/v1/calls/wacid.never", server.bearer()).statusCode())
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertProblem(
                        server.post(path + "/accepted", new byte[0], server.bearer()), 409, "call-ended", name));
    }

    @Test
    void logsAtInfoNameCallsByTheirResourceNameAndHoldNoNumberTranscriptOrSdp() throws Exception {
        String callId = newCallId();
        String name = CallNames.forCallId(callId);
        var worker = whenCreated(callId, answer(ANSWER));
        assertThat(post(request(callId, OFFER)).statusCode()).isEqualTo(201);
        worker.join();
        var figures = new VoiceCall();
        var agent = new AgentStatus();
        var line = new TranscriptLine();
        line.setRole("user");
        line.setText("my card number is 4111 1111 1111 1111");
        agent.setTranscript(List.of(line));
        figures.statusOrNew().setAgent(agent);
        server.kube()
                .resources(VoiceCall.class)
                .inNamespace(SignalingTestServer.NAMESPACE)
                .withName(name)
                .patchStatus(figures);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.get("/v1/calls/" + callId, server.bearer())
                .body()
                .contains("4111"));
        assertThat(server.delete("/v1/calls/" + callId, server.bearer()).statusCode())
                .isEqualTo(202);
        assertThat(server.get("/v1/calls/" + callId + "x", server.bearer()).statusCode())
                .isEqualTo(404);

        List<String> info = logs.lines(java.util.logging.Level.INFO);
        assertThat(info).anySatisfy(l -> assertThat(l).contains("event=call.received call=" + name + " source=api"));
        assertThat(info).anySatisfy(l -> assertThat(l).contains("event=api.call.hangup call=" + name));
        assertThat(info).allSatisfy(l -> assertThat(l)
                .doesNotContain(callId)
                .doesNotContain("447700900123")
                .doesNotContain("4111")
                .doesNotContain("a=ice-pwd")
                .doesNotContain(SignalingTestServer.API_TOKEN));
    }

    @Test
    void fiftyConcurrentSetupsShareTheOneInformerWatch() throws Exception {
        assertThat(server.startupRequests())
                .as("the service's one informer watch, seen by the mock at startup")
                .filteredOn(p -> p.contains("voicecalls") && p.contains("watch=true"))
                .hasSize(1);
        server.drainRequestPaths();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String callId = newCallId();
            ids.add(callId);
            var request = HttpRequest.newBuilder(server.uri("/v1/calls"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + SignalingTestServer.API_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request(callId, OFFER))))
                    .build();
            responses.add(server.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        // The worker answers each call only once all 50 exist, so all 50 requests wait at once.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ids.stream().allMatch(id -> server.call(CallNames.forCallId(id)) != null));
        for (String id : ids) {
            var patch = new VoiceCall();
            answer(ANSWER + "a=x-call:" + id.substring(9, 20) + "\r\n").accept(patch);
            server.kube()
                    .resources(VoiceCall.class)
                    .inNamespace(SignalingTestServer.NAMESPACE)
                    .withName(CallNames.forCallId(id))
                    .patchStatus(patch);
        }
        for (int i = 0; i < ids.size(); i++) {
            var response = responses.get(i).get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(json(response).path("sdpAnswer").asText())
                    .contains(ids.get(i).substring(9, 20));
        }
        List<String> watches = server.drainRequestPaths().stream()
                .filter(p -> p.contains("voicecalls") && p.contains("watch=true"))
                .toList();
        assertThat(watches).as("no request opened a watch of its own").isEmpty();
        var metrics = server.get("/metrics/application", Map.of("Accept", "text/plain"))
                .body();
        assertThat(metrics).containsPattern("signaling_api_setup_wait_seconds_count\\{[^}]*outcome=\"answered\"[^}]*}");
    }
}
