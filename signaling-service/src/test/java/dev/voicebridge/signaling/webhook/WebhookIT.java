package dev.voicebridge.signaling.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.PhoneNumbers;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.LogCapture;
import dev.voicebridge.signaling.SignalingTestServer;
import dev.voicebridge.signaling.calls.CallAnnotations;
import dev.voicebridge.signaling.security.WebhookSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The webhook against the running service and the in-memory Kubernetes API, with the real fixtures. */
class WebhookIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static SignalingTestServer server;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        server = SignalingTestServer.start(Map.of(
                "voicebridge.webhook.max-body-bytes", "65536", "voicebridge.webhook.stale-event-age-seconds", "120"));
        logs = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        logs.close();
        server.close();
    }

    static String newCallId() {
        return "wacid.HBgM" + UUID.randomUUID().toString().replace("-", "") + "_x-y==";
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void connectCreatesTheCallBeforeAnsweringAndCarriesTheTraceContext() throws Exception {
        String callId = newCallId();
        long ts = now();
        String json = Fixtures.connect(callId, ts);
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var response = server.post(
                "/webhooks/whatsapp",
                json.getBytes(StandardCharsets.UTF_8),
                Map.of(
                        "X-Hub-Signature-256",
                        WebhookSignature.headerFor(SignalingTestServer.APP_SECRET, json),
                        "traceparent",
                        incoming));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response.body()).path("outcomes").path("created").asInt())
                .isEqualTo(1);

        // No waiting: the resource must exist by the time the 200 was sent.
        VoiceCall call = server.call(CallNames.forCallId(callId));
        assertThat(call).isNotNull();
        var spec = call.getSpec();
        assertThat(spec.getCallId()).isEqualTo(callId);
        assertThat(spec.getSource()).isEqualTo(CallSource.whatsapp);
        assertThat(spec.getAcceptBy()).isEqualTo(AcceptBy.bridge);
        assertThat(spec.getAgentRef()).isEqualTo(SignalingTestServer.AGENT);
        assertThat(spec.getPhoneNumberId()).isEqualTo(SignalingTestServer.PHONE_NUMBER_ID);
        assertThat(spec.getCallerDisplay())
                .isEqualTo(PhoneNumbers.mask("15550100180"))
                .doesNotContain("0100");
        assertThat(spec.getSdpOffer())
                .startsWith("v=0\r\n")
                .contains("a=ice-pwd:F6/jjqL0/8/Dzluc0IoZEQ==\r\n")
                .isEqualTo(JSON.readTree(json)
                        .at("/entry/0/changes/0/value/calls/0/session/sdp")
                        .asText());
        assertThat(spec.getReceivedAt()).isEqualTo(Instant.ofEpochSecond(ts).toString());
        assertThat(spec.getHangup()).isNull();
        String traceparent = call.getMetadata().getAnnotations().get(Labels.TRACEPARENT_ANNOTATION);
        assertThat(traceparent)
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]") // flags: sampled, random trace id (W3C Trace Context
                // Level 2)
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
                .isNotEqualTo(incoming);
    }

    @Test
    void integerTimestampsAsInMetasDocsAreAcceptedToo() throws Exception {
        String callId = newCallId();
        long ts = now();
        String json = Fixtures.connect(callId, ts).replace("\"" + ts + "\"", Long.toString(ts));
        assertThat(json).contains("\"timestamp\": " + ts);
        assertThat(server.webhook(json).statusCode()).isEqualTo(200);
        assertThat(server.call(CallNames.forCallId(callId)).getSpec().getReceivedAt())
                .isEqualTo(Instant.ofEpochSecond(ts).toString());
    }

    @Test
    void duplicateDeliveriesLandOnOneResource() throws Exception {
        String callId = newCallId();
        String json = Fixtures.connect(callId, now());
        var first = server.webhook(json);
        var second = server.webhook(json);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(body(second.body()).path("outcomes").path("duplicate").asInt())
                .isEqualTo(1);
        assertThat(server.calls())
                .filteredOn(c -> c.getSpec().getCallId().equals(callId))
                .hasSize(1);
    }

    @Test
    void aRetryWithAnotherOfferIsIgnoredAndTheFirstOfferKept() throws Exception {
        String callId = newCallId();
        String json = Fixtures.connect(callId, now());
        assertThat(server.webhook(json).statusCode()).isEqualTo(200);
        String other = json.replace("a=ice-ufrag:AeinEGDfvqBctbtM", "a=ice-ufrag:Different0000000");
        var response = server.webhook(other);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response.body())
                        .path("outcomes")
                        .path("conflicting-offer")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.call(CallNames.forCallId(callId)).getSpec().getSdpOffer())
                .contains("a=ice-ufrag:AeinEGDfvqBctbtM");
    }

    @Test
    void missingWrongOrReserializedSignaturesAre401AndCreateNothing() throws Exception {
        String callId = newCallId();
        String json = Fixtures.connect(callId, now());
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        var missing = server.post("/webhooks/whatsapp", bytes, Map.of("Content-Type", "application/json"));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(body(missing.body()).path("code").asText()).isEqualTo("signature-missing");

        var wrongSecret = server.post(
                "/webhooks/whatsapp", bytes, Map.of("X-Hub-Signature-256", WebhookSignature.headerFor("other", json)));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(body(wrongSecret.body()).path("code").asText()).isEqualTo("signature-invalid");

        // Signed over a re-serialization (what a framework that parses first would verify): refused.
        String reserialized = JSON.writeValueAsString(JSON.readTree(json));
        assertThat(reserialized).isNotEqualTo(json);
        var overReserialized = server.post(
                "/webhooks/whatsapp",
                bytes,
                Map.of(
                        "X-Hub-Signature-256",
                        WebhookSignature.headerFor(SignalingTestServer.APP_SECRET, reserialized)));
        assertThat(overReserialized.statusCode()).isEqualTo(401);

        var garbage = server.post("/webhooks/whatsapp", bytes, Map.of("X-Hub-Signature-256", "sha256=zz"));
        assertThat(garbage.statusCode()).isEqualTo(401);

        assertThat(server.call(CallNames.forCallId(callId))).isNull();
        var metrics = server.get("/metrics/application", Map.of("Accept", "text/plain"));
        assertThat(metrics.body()).contains("signaling_webhook_signature_failures");
    }

    @Test
    void everyEntryChangeAndCallOfABatchIsApplied() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Fixtures.connect("placeholder", now()));
        ObjectNode templateEntry = (ObjectNode) root.path("entry").get(0);
        ArrayNode entries = JSON.createArrayNode();
        List<String> ids = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            ObjectNode entry = templateEntry.deepCopy();
            ArrayNode changes = JSON.createArrayNode();
            for (int c = 0; c < 2; c++) {
                ObjectNode change = ((ObjectNode) templateEntry.path("changes").get(0)).deepCopy();
                ArrayNode calls = (ArrayNode) change.path("value").path("calls");
                ObjectNode template = (ObjectNode) calls.get(0);
                calls.removeAll();
                for (int k = 0; k < 3; k++) {
                    String id = newCallId();
                    ids.add(id);
                    calls.add(template.deepCopy().put("id", id));
                }
                ((ObjectNode) change.get("value"))
                        .putArray("statuses")
                        .addObject()
                        .put("id", "wacid.unrelated")
                        .put("type", "message");
                changes.add(change);
            }
            entry.set("changes", changes);
            entries.add(entry);
        }
        root.set("entry", entries);
        var response = server.webhook(JSON.writeValueAsString(root));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response.body()).path("events").asInt()).isEqualTo(12);
        for (String id : ids) {
            assertThat(server.call(CallNames.forCallId(id))).as(id).isNotNull();
        }
    }

    @Test
    void terminateAfterConnectRequestsTheHangupWithWhatsAppsReport() throws Exception {
        String callId = newCallId();
        assertThat(server.webhook(Fixtures.connect(callId, now())).statusCode()).isEqualTo(200);
        var response = server.webhook(Fixtures.terminate(callId, now()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response.body())
                        .path("outcomes")
                        .path("hangup-requested")
                        .asInt())
                .isEqualTo(1);

        var hangup = server.call(CallNames.forCallId(callId)).getSpec().getHangup();
        assertThat(hangup.getReason()).isEqualTo(EndReason.CallerHangup);
        assertThat(hangup.getWhatsapp().getStatus()).isEqualTo("FAILED");
        assertThat(hangup.getWhatsapp().getDurationSeconds()).isEqualTo(20L);
        assertThat(hangup.getWhatsapp().getStartTime())
                .isEqualTo(Instant.ofEpochSecond(1760681513).toString());
        assertThat(hangup.getWhatsapp().getEndTime())
                .isEqualTo(Instant.ofEpochSecond(1760681533).toString());
        // Reported at call level and value level: the same error is kept once.
        assertThat(hangup.getWhatsapp().getErrors()).singleElement().satisfies(e -> {
            assertThat(e.getCode()).isEqualTo(138021L);
            assertThat(e.getDetails()).contains("not receiving any media");
        });
        assertThat(server.call(CallNames.forCallId(callId)).getSpec().getSdpOffer())
                .isNotNull();

        var again = server.webhook(Fixtures.terminate(callId, now()).replace("\"FAILED\"", "\"completed\""));
        assertThat(body(again.body()).path("outcomes").path("hangup-exists").asInt())
                .isEqualTo(1);
        assertThat(server.call(CallNames.forCallId(callId))
                        .getSpec()
                        .getHangup()
                        .getWhatsapp()
                        .getStatus())
                .isEqualTo("FAILED");
    }

    @Test
    void terminateBeforeConnectLeavesATombstoneAndTheLateConnectIsNotAnswered() throws Exception {
        String callId = newCallId();
        var terminate = server.webhook(Fixtures.terminate(callId, now()));
        assertThat(terminate.statusCode()).isEqualTo(200);
        assertThat(body(terminate.body())
                        .path("outcomes")
                        .path("tombstone-created")
                        .asInt())
                .isEqualTo(1);
        VoiceCall tombstone = server.call(CallNames.forCallId(callId));
        assertThat(tombstone.getSpec().getSdpOffer()).isNull();
        assertThat(tombstone.getSpec().getHangup().getReason()).isEqualTo(EndReason.Canceled);
        assertThat(tombstone.getSpec().getHangup().getWhatsapp().getStatus()).isEqualTo("FAILED");

        var lateConnect = server.webhook(Fixtures.connect(callId, now()));
        assertThat(lateConnect.statusCode()).isEqualTo(200);
        assertThat(body(lateConnect.body()).path("outcomes").path("tombstoned").asInt())
                .isEqualTo(1);
        assertThat(server.call(CallNames.forCallId(callId)).getSpec().getSdpOffer())
                .isNull();
    }

    @Test
    void staleEventsAreDroppedAndCounted() throws Exception {
        String callId = newCallId();
        var response = server.webhook(Fixtures.connect(callId, now() - 3600));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response.body()).path("outcomes").path("stale").asInt()).isEqualTo(1);
        assertThat(server.call(CallNames.forCallId(callId))).isNull();

        var staleTerminate = server.webhook(Fixtures.terminate(callId, now() - 3600));
        assertThat(body(staleTerminate.body()).path("outcomes").path("stale").asInt())
                .isEqualTo(1);
        assertThat(server.call(CallNames.forCallId(callId))).isNull();

        var metrics = server.get("/metrics/application", Map.of("Accept", "text/plain"));
        assertThat(metrics.body())
                .containsPattern("signaling_webhook_stale_events_total\\{[^}]*event=\"connect\"[^}]*} [1-9]");
    }

    @Test
    void malformedJsonIs400AndCreatesNothing() throws Exception {
        String json = "{\"object\":\"whatsapp_business_account\",\"entry\":[{";
        var response = server.webhook(json);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response.body()).path("code").asText()).isEqualTo("malformed-json");
        assertThat(body(response.body()).path("detail").asText()).contains("line 1");
        assertThat(server.webhook("[1,2]").statusCode()).isEqualTo(400);
    }

    @Test
    void outOfRangeTimestampsAre400WithACodeAndCounted() throws Exception {
        String callId = newCallId();
        String json = Fixtures.connect(callId, now())
                .replaceAll("\"timestamp\": \"[0-9]+\"", "\"timestamp\": \"99999999999999999\"");
        assertThat(json).contains("99999999999999999");
        var response = server.webhook(json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(body(response.body()).path("code").asText()).isEqualTo("invalid-timestamp");
        assertThat(server.call(CallNames.forCallId(callId))).isNull();
        var metrics = server.get("/metrics/application", Map.of("Accept", "text/plain"));
        assertThat(metrics.body())
                .containsPattern("signaling_webhook_requests_total\\{[^}]*outcome=\"invalid-timestamp\"[^}]*} [1-9]");
    }

    @Test
    void oversizeBodiesAre413() throws Exception {
        String json = Fixtures.connect(newCallId(), now())
                .replace("\"object\"", "\"pad\":\"" + "x".repeat(70_000) + "\",\"object\"");
        var response = server.webhook(json);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(body(response.body()).path("code").asText()).isEqualTo("body-too-large");
    }

    @Test
    void unknownEventsAndFieldsAreIgnored() throws Exception {
        String callId = newCallId();
        String json = Fixtures.connect(callId, now())
                .replace("\"event\": \"connect\"", "\"event\": \"transfer\", \"brand_new_field\": {\"x\": [1]}");
        var response = server.webhook(json);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response.body()).path("outcomes").path("ignored").asInt())
                .isEqualTo(1);
        assertThat(server.call(CallNames.forCallId(callId))).isNull();

        String withExtras = Fixtures.connect(callId, now()).replace("\"object\"", "\"future\":{\"a\":1},\"object\"");
        assertThat(server.webhook(withExtras).statusCode()).isEqualTo(200);
        assertThat(server.call(CallNames.forCallId(callId))).isNotNull();
    }

    @Test
    void businessInitiatedStatusesAreRecordedNewestWins() throws Exception {
        String callId = newCallId();
        assertThat(server.webhook(Fixtures.connect(callId, now())).statusCode()).isEqualTo(200);
        long ts = now();
        assertThat(server.webhook(status(callId, "ACCEPTED", ts)).statusCode()).isEqualTo(200);
        var late = server.webhook(status(callId, "ringing", ts - 5));
        assertThat(body(late.body()).path("outcomes").path("status-outdated").asInt())
                .isEqualTo(1);
        var annotations = server.call(CallNames.forCallId(callId)).getMetadata().getAnnotations();
        assertThat(annotations)
                .containsEntry(CallAnnotations.WHATSAPP_STATUS, "ACCEPTED")
                .containsEntry(
                        CallAnnotations.WHATSAPP_STATUS_AT,
                        Instant.ofEpochSecond(ts).toString());

        var unmatched = server.webhook(status(newCallId(), "REJECTED", now()));
        assertThat(body(unmatched.body())
                        .path("outcomes")
                        .path("status-unmatched")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void logLinesCarryMaskedNumbersAndNoSecretsOrOffers() throws Exception {
        String callId = newCallId();
        server.webhook(Fixtures.connect(callId, now()));
        server.webhook(status(callId, "ACCEPTED", now()));
        server.webhook(Fixtures.terminate(callId, now()));
        server.post(
                "/webhooks/whatsapp",
                "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Hub-Signature-256", "sha256=00"));
        String name = CallNames.forCallId(callId);
        assertThat(logged()).anySatisfy(line -> assertThat(line)
                .startsWith("event=call.received call=")
                .contains("call=" + name)
                .contains("from=" + PhoneNumbers.mask("15550100180")));
        assertThat(logged()).anySatisfy(line -> assertThat(line).startsWith("event=webhook.terminate.hangup"));
        assertThat(logged()).allSatisfy(line -> assertThat(line)
                .doesNotContain("15550100180")
                .doesNotContain(callId)
                .doesNotContain(SignalingTestServer.APP_SECRET)
                .doesNotContain("a=ice-pwd"));
    }

    /** What the service itself logged, every level that is written. */
    static List<String> logged() {
        return logs.records().stream()
                .filter(r -> r.getLoggerName().startsWith("dev.voicebridge.signaling"))
                .map(java.util.logging.LogRecord::getMessage)
                .toList();
    }

    static String status(String callId, String status, long ts) throws Exception {
        ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode value = root.putArray("entry")
                .addObject()
                .put("id", "1")
                .putArray("changes")
                .addObject()
                .put("field", "calls")
                .putObject("value");
        value.putObject("metadata").put("phone_number_id", SignalingTestServer.PHONE_NUMBER_ID);
        value.putArray("statuses")
                .addObject()
                .put("id", callId)
                .put("type", "call")
                .put("status", status)
                .put("timestamp", Long.toString(ts))
                .put("recipient_id", "15550100180");
        return JSON.writeValueAsString(root);
    }

    @Test
    void verificationEchoesTheChallengeOnlyForTheRightToken() throws Exception {
        var ok = server.get(
                "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token="
                        + URLEncoder.encode(SignalingTestServer.VERIFY_TOKEN, StandardCharsets.UTF_8)
                        + "&hub.challenge=1158201444",
                Map.of());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");

        var wrong = server.get(
                "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444", Map.of());
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(body(wrong.body()).path("code").asText()).isEqualTo("verify-token-mismatch");
        assertThat(wrong.body()).doesNotContain("1158201444");
    }
}
