package dev.voicebridge.signaling.callapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.LogCapture;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.testkit.graph.CallWebhooks;
import dev.voicebridge.testkit.graph.FakeGraphApi;
import dev.voicebridge.testkit.graph.OutboundCall;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Business-initiated calls through the running service: {@code POST /v1/calls/outbound} (scopes,
 * idempotency, validation), then WhatsApp's webhooks about them — the answer, the statuses, the
 * terminate — found by the callback data the operator gives WhatsApp; WhatsApp's recordings
 * fetched through the Graph API fake; callers known only by a business-scoped id.
 */
class OutboundCallsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GRAPH_TOKEN = "graph-media-token";
    static FakeGraphApi graph;
    static SignalingTestServer server;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        graph = FakeGraphApi.start(GRAPH_TOKEN);
        server = SignalingTestServer.start(Map.of(
                "voicebridge.whatsapp.access-token",
                GRAPH_TOKEN,
                "voicebridge.whatsapp.graph-base-url",
                graph.baseUri().toString()));
        logs = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        logs.close();
        server.close();
        graph.close();
    }

    static ObjectNode body(String to) {
        return JSON.createObjectNode().put("to", to).put("phoneNumberId", SignalingTestServer.PHONE_NUMBER_ID);
    }

    static HttpResponse<String> place(String token, ObjectNode body) {
        return place(token, body, Map.of());
    }

    static HttpResponse<String> place(String token, ObjectNode body, Map<String, String> headers) {
        var all = new HashMap<>(SignalingTestServer.bearer(token));
        all.putAll(headers);
        return server.post("/v1/calls/outbound", body.toString().getBytes(StandardCharsets.UTF_8), all);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Places a call with the default client and returns its resource. */
    static VoiceCall placed(String to) throws Exception {
        var response = place(
                SignalingTestServer.API_TOKEN,
                body(to).put("requestId", UUID.randomUUID().toString()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return server.call(json(response).path("name").asText());
    }

    static OutboundCall whatsappSide(VoiceCall call, String whatsappCallId) {
        return new OutboundCall(
                SignalingTestServer.PHONE_NUMBER_ID,
                whatsappCallId,
                call.getSpec().getCallee(),
                null,
                null,
                CallNames.callbackData(call.getMetadata().getName()),
                null,
                null);
    }

    static JsonNode outcomes(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("outcomes");
    }

    @Test
    void anOutboundCallIsRecordedForTheOperatorAndRetriesLandOnIt() throws Exception {
        var request = body("+447700900123")
                .put("callbackData", "appointment=4711")
                .put("maxDurationSeconds", 300)
                .put("requestId", "reminder-4711");
        request.putObject("overrides").put("instructions", "Remind the patient.");
        request.putObject("recording")
                .put("enabled", true)
                .put("purpose", "quality assurance")
                .put("announcementLanguage", "en_US");
        var created = place(SignalingTestServer.API_TOKEN, request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode answer = json(created);
        assertThat(answer.path("callId").asText()).isEqualTo("out.default.reminder-4711");
        assertThat(answer.path("phase").asText()).isEqualTo("Pending");
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/v1/calls/" + URLEncoder.encode("out.default.reminder-4711", StandardCharsets.UTF_8)));

        VoiceCall call = server.call(answer.path("name").asText());
        assertThat(call.getMetadata().getName()).isEqualTo(CallNames.forCallId("out.default.reminder-4711"));
        var spec = call.getSpec();
        assertThat(spec.getDirection()).isEqualTo(CallDirection.outbound);
        assertThat(spec.getAcceptBy()).isEqualTo(AcceptBy.bridge);
        assertThat(spec.getCallee()).isEqualTo("447700900123");
        assertThat(spec.getCalleeDisplay()).isEqualTo("+44*******123");
        assertThat(spec.getAgentRef()).isEqualTo(SignalingTestServer.AGENT);
        assertThat(spec.getCallbackData()).isEqualTo("appointment=4711");
        assertThat(spec.getSdpOffer()).isNull();
        assertThat(spec.getRecording().getEnabled()).isTrue();
        assertThat(spec.getRecording().getAnnouncementLanguage()).isEqualTo("en_US");
        assertThat(call.getMetadata().getAnnotations()).containsEntry("voicebridge.dev/api-client", "default");

        var retried = place(SignalingTestServer.API_TOKEN, request);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried).path("name").asText())
                .isEqualTo(call.getMetadata().getName());
        var header = place(
                SignalingTestServer.API_TOKEN,
                (ObjectNode) request.deepCopy().without("requestId"),
                Map.of("Idempotency-Key", "reminder-4711"));
        assertThat(header.statusCode()).as("the header is the same key").isEqualTo(200);
        var other = place(SignalingTestServer.API_TOKEN, request.deepCopy().put("to", "447700900999"));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).path("code").asText()).isEqualTo("call-id-conflict");

        var view = json(server.get(
                "/v1/calls/" + URLEncoder.encode("out.default.reminder-4711", StandardCharsets.UTF_8),
                server.bearer()));
        assertThat(view.path("direction").asText()).isEqualTo("outbound");
        assertThat(view.path("calleeDisplay").asText()).isEqualTo("+44*******123");
        assertThat(view.path("callbackData").asText()).isEqualTo("appointment=4711");
        assertThat(view.toString()).doesNotContain("447700900123");
    }

    @Test
    void theAgentNamesItsNumberAndScopesHoldForDialling() throws Exception {
        var byAgent = place(
                SignalingTestServer.API_TOKEN,
                JSON.createObjectNode().put("to", "447700900124").put("agent", SignalingTestServer.AGENT));
        assertThat(byAgent.statusCode()).as(byAgent.body()).isEqualTo(201);
        assertThat(server.call(json(byAgent).path("name").asText()).getSpec().getPhoneNumberId())
                .isEqualTo(SignalingTestServer.PHONE_NUMBER_ID);

        var forbidden = place(SignalingTestServer.RECEPTION_TOKEN, body("447700900125"));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).path("code").asText()).isEqualTo("forbidden");
        var outOfScope = place(SignalingTestServer.NUMBER_BOT_TOKEN, body("447700900126"));
        assertThat(outOfScope.statusCode()).isEqualTo(404);
        assertThat(json(outOfScope).path("code").asText()).isEqualTo("agent-not-found");
        var inScope = place(
                SignalingTestServer.NUMBER_BOT_TOKEN,
                JSON.createObjectNode()
                        .put("to", "447700900127")
                        .put("phoneNumberId", SignalingTestServer.SALES_PHONE_NUMBER_ID));
        assertThat(inScope.statusCode()).as(inScope.body()).isEqualTo(201);
        assertThat(json(inScope).path("callId").asText()).startsWith("out.number-bot.");
    }

    @Test
    void badRequestsGetTheFieldAndACode() throws Exception {
        assertThat(json(place(
                                SignalingTestServer.API_TOKEN,
                                JSON.createObjectNode().put("phoneNumberId", "1")))
                        .path("code")
                        .asText())
                .isEqualTo("missing-field");
        assertThat(json(place(SignalingTestServer.API_TOKEN, body("12ab")))
                        .path("detail")
                        .asText())
                .contains("to must be");
        assertThat(json(place(
                                SignalingTestServer.API_TOKEN,
                                body("447700900123").put("callbackData", "x".repeat(513))))
                        .path("code")
                        .asText())
                .isEqualTo("invalid-field");
        var noPurpose = body("447700900123");
        noPurpose.putObject("transcription").put("enabled", true).put("announcementLanguage", "es");
        assertThat(json(place(SignalingTestServer.API_TOKEN, noPurpose))
                        .path("detail")
                        .asText())
                .contains("transcription.purpose");
        var twoKeys = place(
                SignalingTestServer.API_TOKEN,
                body("447700900123").put("requestId", "a"),
                Map.of("Idempotency-Key", "b"));
        assertThat(twoKeys.statusCode()).isEqualTo(400);
        assertThat(json(twoKeys).path("code").asText()).isEqualTo("invalid-field");
    }

    @Test
    void whatsappsAnswerStatusesAndTerminateFindTheCallByItsCallbackData() throws Exception {
        VoiceCall call = placed("447700900130");
        String name = call.getMetadata().getName();
        var whatsapp = whatsappSide(call, "wacid.out-" + UUID.randomUUID());
        String sdp =
                "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\nm=audio 3480 UDP/TLS/RTP/SAVPF 111\r\n";

        assertThat(outcomes(server.webhook(CallWebhooks.answer(whatsapp, sdp).toString()))
                        .path("answer-recorded")
                        .asInt())
                .isEqualTo(1);
        VoiceCall answered = server.call(name);
        assertThat(answered.getSpec().getSdpAnswer()).isEqualTo(sdp);
        assertThat(answered.getMetadata().getAnnotations())
                .containsEntry(Labels.WHATSAPP_CALL_ID_ANNOTATION, whatsapp.callId());
        assertThat(outcomes(server.webhook(CallWebhooks.answer(whatsapp, sdp).toString()))
                        .path("answer-duplicate")
                        .asInt())
                .isEqualTo(1);
        assertThat(outcomes(server.webhook(
                                CallWebhooks.answer(whatsapp, sdp + "a=x\r\n").toString()))
                        .path("conflicting-answer")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(name).getSpec().getSdpAnswer())
                .as("the first answer stays")
                .isEqualTo(sdp);

        assertThat(outcomes(server.webhook(
                                CallWebhooks.status(whatsapp, "RINGING").toString()))
                        .path("status-recorded")
                        .asInt())
                .isEqualTo(1);
        // Later events need no callback data: the WhatsApp call id is known now.
        var bare = new OutboundCall(
                whatsapp.phoneNumberId(), whatsapp.callId(), whatsapp.to(), null, null, null, null, null);
        assertThat(outcomes(server.webhook(CallWebhooks.status(bare, "ACCEPTED").toString()))
                        .path("status-recorded")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(name).getMetadata().getAnnotations())
                .containsEntry(Labels.WHATSAPP_STATUS_ANNOTATION, "ACCEPTED");
        // A RINGING delivered late within the same second never takes the call back to ringing.
        assertThat(outcomes(server.webhook(CallWebhooks.status(bare, "RINGING").toString()))
                        .path("status-outdated")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(name).getMetadata().getAnnotations())
                .containsEntry(Labels.WHATSAPP_STATUS_ANNOTATION, "ACCEPTED");
        assertThat(outcomes(server.webhook(CallWebhooks.terminate(whatsapp, "COMPLETED", Instant.now())
                                .toString()))
                        .path("hangup-requested")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(name).getSpec().getHangup().getReason()).isEqualTo(EndReason.CallerHangup);
        assertThat(server.call(name).getSpec().getHangup().getWhatsapp().getStatus())
                .isEqualTo("COMPLETED");
    }

    @Test
    void aDeclinedCallEndsRejectedAndAnUnansweredOneNoAnswer() throws Exception {
        VoiceCall declined = placed("447700900131");
        var declinedSide = whatsappSide(declined, "wacid.declined-" + UUID.randomUUID());
        server.webhook(CallWebhooks.status(declinedSide, "RINGING").toString());
        assertThat(outcomes(server.webhook(
                                CallWebhooks.status(declinedSide, "REJECTED").toString()))
                        .path("status-recorded")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(declined.getMetadata().getName())
                        .getSpec()
                        .getHangup()
                        .getReason())
                .isEqualTo(EndReason.Rejected);
        assertThat(outcomes(server.webhook(CallWebhooks.terminate(declinedSide, "COMPLETED", null)
                                .toString()))
                        .path("hangup-exists")
                        .asInt())
                .isEqualTo(1);

        VoiceCall unanswered = placed("447700900132");
        var unansweredSide = whatsappSide(unanswered, "wacid.unanswered-" + UUID.randomUUID());
        server.webhook(CallWebhooks.status(unansweredSide, "RINGING").toString());
        server.webhook(CallWebhooks.terminate(unansweredSide, "COMPLETED", null).toString());
        assertThat(server.call(unanswered.getMetadata().getName())
                        .getSpec()
                        .getHangup()
                        .getReason())
                .isEqualTo(EndReason.NoAnswer);

        int before = server.calls().size();
        var stray = new OutboundCall(
                SignalingTestServer.PHONE_NUMBER_ID,
                "wacid.never-" + UUID.randomUUID(),
                "447700900133",
                null,
                null,
                null,
                null,
                null);
        assertThat(outcomes(server.webhook(
                                CallWebhooks.terminate(stray, "COMPLETED", null).toString()))
                        .path("terminate-unmatched")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.calls())
                .as("no tombstone for a business-initiated call")
                .hasSize(before);
    }

    @Test
    void callbackDataThatDisagreesWithTheEventIsNotActedOn() throws Exception {
        VoiceCall call = placed("447700900134");
        var elsewhere = new OutboundCall(
                "999999999999999",
                "wacid.mismatch-" + UUID.randomUUID(),
                "447700900134",
                null,
                null,
                CallNames.callbackData(call.getMetadata().getName()),
                null,
                null);
        assertThat(outcomes(server.webhook(
                                CallWebhooks.answer(elsewhere, "v=0\r\n").toString()))
                        .path("answer-unmatched")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(call.getMetadata().getName()).getSpec().getSdpAnswer())
                .isNull();
    }

    @Test
    void whatsappsRecordingIsFetchedOnRequestAndNeverStored() throws Exception {
        String callId = "wacid.rec-" + UUID.randomUUID();
        assertThat(server.webhook(Fixtures.connect(callId, Instant.now().getEpochSecond()))
                        .statusCode())
                .isEqualTo(200);
        byte[] ogg = "OggS-fake-opus-recording".getBytes(StandardCharsets.UTF_8);
        graph.putMedia("1002764438271669", "audio/ogg; codecs=opus", ogg);
        assertThat(outcomes(server.webhook(CallWebhooks.recordingAvailable(
                                        SignalingTestServer.PHONE_NUMBER_ID,
                                        callId,
                                        "15550100180",
                                        "1002764438271669",
                                        "sha=",
                                        graph.baseUri() + "/media/1002764438271669")
                                .toString()))
                        .path("media-recorded")
                        .asInt())
                .isEqualTo(1);
        VoiceCall call = server.call(CallNames.forCallId(callId));
        assertThat(call.getMetadata().getAnnotations().get(Labels.WHATSAPP_RECORDING_ANNOTATION))
                .contains("1002764438271669")
                .doesNotContain("/media/");

        String path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
        var download = server.http()
                .send(
                        java.net.http.HttpRequest.newBuilder(server.uri(path + "/recording"))
                                .header("Authorization", "Bearer " + SignalingTestServer.API_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(ogg);
        assertThat(download.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t.replace(" ", "")).isEqualTo("audio/ogg;codecs=opus"));
        assertThat(download.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(graph.requestsFor("media-download")).hasSize(1);

        assertThat(json(server.get(path, server.bearer()))
                        .path("recording")
                        .path("mimeType")
                        .asText())
                .isEqualTo("audio/ogg; codecs=opus");
        var none = server.get(path + "/transcript", server.bearer());
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).path("code").asText()).isEqualTo("media-not-available");
        var forbidden =
                server.get(path + "/recording", SignalingTestServer.bearer(SignalingTestServer.RECEPTION_TOKEN));
        assertThat(forbidden.statusCode()).isEqualTo(403);
    }

    @Test
    void aCallerKnownOnlyByBusinessScopedIdIsMaskedLikeANumber() throws Exception {
        String callId = "wacid.bsuid-" + UUID.randomUUID();
        String connect = Fixtures.connect(callId, Instant.now().getEpochSecond())
                .replace("\"from\": \"15550100180\",", "\"from_user_id\": \"US.13491208655302741918\",");
        assertThat(connect).contains("from_user_id");
        assertThat(outcomes(server.webhook(connect)).path("created").asInt()).isEqualTo(1);
        VoiceCall call = server.call(CallNames.forCallId(callId));
        assertThat(call.getSpec().getCaller()).isNull();
        assertThat(call.getSpec().getUserId()).isEqualTo("US.13491208655302741918");
        assertThat(call.getSpec().getCallerDisplay()).isEqualTo("US.*****************918");
        assertThat(logs.lines(Level.INFO)).noneMatch(l -> l.contains("13491208655302741918"));
    }
}
