package dev.voicebridge.signaling.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookParserTest {
    final WebhookParser parser = new WebhookParser();

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesTheRealConnectFixture() {
        var events = parser.parse(bytes(Fixtures.read("whatsapp-connect.json")));
        assertThat(events).singleElement().isInstanceOfSatisfying(WebhookEvent.Connect.class, c -> {
            assertThat(c.callId()).isEqualTo(Fixtures.FIXTURE_CALL_ID);
            assertThat(c.phoneNumberId()).isEqualTo("518638374672395");
            assertThat(c.from()).isEqualTo("15550100180");
            assertThat(c.to()).isEqualTo("15550001906");
            assertThat(c.timestamp()).isEqualTo(Instant.ofEpochSecond(1760681506));
            assertThat(c.direction()).isEqualTo("USER_INITIATED");
            assertThat(c.sdpType()).isEqualTo("offer");
            assertThat(c.sdp()).isEqualTo(Fixtures.read("whatsapp-offer.sdp"));
        });
    }

    @Test
    void terminateCarriesStatusTimesDurationAndErrorsFromBothLevelsOnce() {
        var events = parser.parse(bytes(Fixtures.read("whatsapp-terminate-failed.json")
                .replace("\"status\": \"FAILED\"", "\"status\": \"Failed\"")
                .replace(
                        "\"errors\": [\n              {\n                \"code\": 138021,\n                \"title\": \"WhatsApp client terminated the call due to not receiving any media for a long time. Please try again\",\n                \"message\": \"WhatsApp client terminated the call due to not receiving any media for a long time. Please try again\",\n                \"error_data\": {\n                  \"details\": \"WhatsApp client terminated the call due to not receiving any media for a long time.\"\n                }\n              }\n            ]\n          },",
                        "\"errors\": [{\"code\": 131000, \"message\": \"other\"}]\n          },")));
        assertThat(events).singleElement().isInstanceOfSatisfying(WebhookEvent.Terminate.class, t -> {
            assertThat(t.status()).isEqualTo("FAILED");
            assertThat(t.startTime()).isEqualTo(Instant.ofEpochSecond(1760681513));
            assertThat(t.endTime()).isEqualTo(Instant.ofEpochSecond(1760681533));
            assertThat(t.durationSeconds()).isEqualTo(20L);
            assertThat(t.errors()).extracting(e -> e.getCode()).containsExactlyInAnyOrder(138021L, 131000L);
        });
        var fixture = parser.parse(bytes(Fixtures.read("whatsapp-terminate-failed.json")));
        assertThat(((WebhookEvent.Terminate) fixture.get(0)).errors()).hasSize(1);
    }

    @Test
    void walksEveryEntryChangeCallAndCallStatusOfABatch() {
        String json = """
                {"entry":[
                  {"changes":[
                    {"value":{"metadata":{"phone_number_id":"111"},"calls":[
                      {"id":"wacid.a","event":"connect","timestamp":1700000000,"session":{"sdp_type":"offer","sdp":"v=0"}},
                      {"id":"wacid.b","event":"terminate","timestamp":"1700000001","status":"completed"}]}},
                    {"value":{"metadata":{"phone_number_id":"222"},"statuses":[
                      {"id":"wacid.c","type":"call","status":"ringing","timestamp":"1700000002","recipient_id":"4477"},
                      {"id":"wamid.m","type":"message","status":"read"}]}}]},
                  {"changes":[{"value":{"calls":[{"id":"wacid.d","event":"mute","new_thing":[1,2]}]}}]},
                  {"changes":"not-an-array"}
                ],"unknown_top_level":{"x":1}}
                """;
        var events = parser.parse(bytes(json));
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isInstanceOfSatisfying(WebhookEvent.Connect.class, c -> {
            assertThat(c.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000));
            assertThat(c.phoneNumberId()).isEqualTo("111");
            assertThat(c.from()).isNull();
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(WebhookEvent.Terminate.class, t -> {
            assertThat(t.status()).isEqualTo("COMPLETED");
            assertThat(t.durationSeconds()).isNull();
            assertThat(t.errors()).isNull();
        });
        assertThat(events.get(2)).isInstanceOfSatisfying(WebhookEvent.CallStatus.class, s -> {
            assertThat(s.status()).isEqualTo("RINGING");
            assertThat(s.phoneNumberId()).isEqualTo("222");
        });
        assertThat(events.get(3)).isInstanceOfSatisfying(WebhookEvent.Unsupported.class, u -> assertThat(u.kind())
                .isEqualTo("mute"));
    }

    @Test
    void unparseableTimestampsAreAbsentNotFatal() {
        var events = parser.parse(bytes("{\"entry\":[{\"changes\":[{\"value\":{\"calls\":[{\"id\":\"wacid.x\","
                + "\"event\":\"connect\",\"timestamp\":\"soon\"}]}}]}]}"));
        assertThat(events.get(0).timestamp()).isNull();
    }

    @Test
    void timestampsOutsideWhatKubernetesCanStoreRefuseTheDeliveryAs400() {
        for (String ts : new String[] {
            "\"99999999999999999\"",
            "99999999999999999",
            "-1",
            "\"-5\"",
            "253402300800",
            "123456789012345678901234567890",
            "\"123456789012345678901234567890\""
        }) {
            for (String field : new String[] {"timestamp", "start_time", "end_time"}) {
                String body = "{\"entry\":[{\"changes\":[{\"value\":{\"calls\":[{\"id\":\"wacid.x\","
                        + "\"event\":\"terminate\",\"" + field + "\":" + ts + "}]}}]}]}";
                assertThatThrownBy(() -> parser.parse(bytes(body)))
                        .as(field + "=" + ts)
                        .isInstanceOfSatisfying(ProblemException.class, e -> {
                            assertThat(e.code()).isEqualTo(ProblemCode.INVALID_TIMESTAMP);
                            assertThat(e.getMessage()).contains("calls[]." + field);
                        });
            }
        }
        String lastSecondOf9999 = "{\"entry\":[{\"changes\":[{\"value\":{\"calls\":[{\"id\":\"wacid.x\","
                + "\"event\":\"connect\",\"timestamp\":\"253402300799\"}]}}]}]}";
        assertThat(parser.parse(bytes(lastSecondOf9999)).get(0).timestamp())
                .isEqualTo(java.time.Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void onlyNonJsonOrNonObjectBodiesFail() {
        for (String bad : new String[] {"", "{", "[]", "\"text\"", "{} trailing", "{\"a\":1}{\"b\":2}"}) {
            assertThatThrownBy(() -> parser.parse(bytes(bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            ProblemException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.MALFORMED_JSON));
        }
        assertThat(parser.parse(bytes("{}"))).isEmpty();
    }

    /** Meta's business-initiated-calls samples: the answer, a status and a terminate, echoing callback data. */
    @Test
    void businessInitiatedAnswerStatusAndTerminateCarryCallbackDataAndTheCalleesBsuid() {
        var call = new dev.voicebridge.testkit.graph.OutboundCall(
                "436666719526789", "wacid.HBgLMTIxODU1", "12185552828", null, null, "voicebridge:wa-abc", null, null);
        var answer = parser.parse(bytes(dev.voicebridge.testkit.graph.CallWebhooks.answer(call, "v=0\r\n")
                .toString()));
        assertThat(answer).singleElement().isInstanceOfSatisfying(WebhookEvent.Connect.class, c -> {
            assertThat(c.isAnswer()).isTrue();
            assertThat(c.callbackData()).isEqualTo("voicebridge:wa-abc");
            assertThat(c.userId()).startsWith("US.");
            assertThat(c.to()).isEqualTo("12185552828");
            assertThat(c.sdp()).isEqualTo("v=0\r\n");
        });
        var status = parser.parse(bytes(dev.voicebridge.testkit.graph.CallWebhooks.status(call, "RINGING")
                .toString()));
        assertThat(status).singleElement().isInstanceOfSatisfying(WebhookEvent.CallStatus.class, st -> {
            assertThat(st.status()).isEqualTo("RINGING");
            assertThat(st.callbackData()).isEqualTo("voicebridge:wa-abc");
            assertThat(st.recipient()).isEqualTo("12185552828");
            assertThat(st.recipientUserId()).startsWith("US.");
        });
        var terminate = parser.parse(bytes(dev.voicebridge.testkit.graph.CallWebhooks.terminate(call, "COMPLETED", null)
                .toString()));
        assertThat(terminate).singleElement().isInstanceOfSatisfying(WebhookEvent.Terminate.class, t -> {
            assertThat(t.businessInitiated()).isTrue();
            assertThat(t.callbackData()).isEqualTo("voicebridge:wa-abc");
            assertThat(t.startTime()).isNull();
        });
    }

    @Test
    void theTerminateStatusOfMetasSampleMayBeAnArray() {
        String json = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"1"},"calls":[
                  {"id":"wacid.x","event":"terminate","direction":"BUSINESS_INITIATED",
                   "status":["Failed","Completed"],"timestamp":"1700000000"}]}}]}]}""";
        assertThat(parser.parse(bytes(json)))
                .singleElement()
                .isInstanceOfSatisfying(WebhookEvent.Terminate.class, t -> assertThat(t.status())
                        .isEqualTo("FAILED"));
    }

    @Test
    void recordingAndTranscriptWebhooksKeepWhereTheMediaIsNotTheUrl() {
        var recording = parser.parse(bytes(dev.voicebridge.testkit.graph.CallWebhooks.recordingAvailable(
                        "1", "wacid.rec", "447700900123", "1002764438271669", "Y9vv=", "https://lookaside.example/x")
                .toString()));
        assertThat(recording).singleElement().isInstanceOfSatisfying(WebhookEvent.MediaAvailable.class, m -> {
            assertThat(m.kind()).isEqualTo(WebhookEvent.MediaAvailable.Kind.RECORDING);
            assertThat(m.mediaId()).isEqualTo("1002764438271669");
            assertThat(m.mimeType()).isEqualTo("audio/ogg; codecs=opus");
            assertThat(m.sha256()).isEqualTo("Y9vv=");
            assertThat(m.callId()).isEqualTo("wacid.rec");
        });
        var transcript = parser.parse(bytes(dev.voicebridge.testkit.graph.CallWebhooks.transcriptAvailable(
                        "1", "wacid.rec", "447700900123", "77", "abc", "https://lookaside.example/y")
                .toString()));
        assertThat(transcript).singleElement().isInstanceOfSatisfying(WebhookEvent.MediaAvailable.class, m -> {
            assertThat(m.kind()).isEqualTo(WebhookEvent.MediaAvailable.Kind.TRANSCRIPT);
            assertThat(m.mimeType()).isEqualTo("application/json");
        });
    }

    @Test
    void aCallerKnownOnlyByBusinessScopedIdIsAccepted() {
        String json = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"1"},
                  "contacts":[{"profile":{"name":"A","username":"a.user"},"user_id":"US.13491208655302741918"}],
                  "calls":[{"id":"wacid.u","event":"connect","direction":"USER_INITIATED",
                   "from_user_id":"US.13491208655302741918","from_parent_user_id":"US.1",
                   "timestamp":"1700000000","session":{"sdp_type":"offer","sdp":"v=0"}}]}}]}]}""";
        assertThat(parser.parse(bytes(json))).singleElement().isInstanceOfSatisfying(WebhookEvent.Connect.class, c -> {
            assertThat(c.from()).isNull();
            assertThat(c.userId()).isEqualTo("US.13491208655302741918");
            assertThat(c.isAnswer()).isFalse();
        });
    }
}
