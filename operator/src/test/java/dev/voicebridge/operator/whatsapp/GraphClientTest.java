package dev.voicebridge.operator.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.observe.OperatorMetrics;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GraphClientTest {
    final GraphClient client = new GraphClient(
            URI.create("http://127.0.0.1:1"),
            "v23.0",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            new OperatorMetrics());

    @Test
    void answerActionsCarryTheSdpAsAPlainStringWithCrlfIntact() throws Exception {
        String sdp = "v=0\r\na=ice-pwd:x+y/z=\r\n";
        var body =
                new ObjectMapper().readTree(client.body(new GraphCommand("123", "wacid.A==", CallAction.ACCEPT, sdp)));
        assertThat(body.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.get("call_id").asText()).isEqualTo("wacid.A==");
        assertThat(body.get("action").asText()).isEqualTo("accept");
        assertThat(body.get("session").get("sdp_type").asText()).isEqualTo("answer");
        assertThat(body.get("session").get("sdp").asText()).isEqualTo(sdp);
        var terminate =
                new ObjectMapper().readTree(client.body(new GraphCommand("123", "c", CallAction.TERMINATE, null)));
        assertThat(terminate.has("session")).isFalse();
        assertThatThrownBy(() -> new GraphCommand("123", "c", CallAction.PRE_ACCEPT, null))
                .hasMessageContaining("needs");
    }

    @Test
    void successAndErrorEnvelopesAreInterpreted() {
        assertThat(client.interpret(200, "{\"messaging_product\":\"whatsapp\",\"success\":true}"))
                .isInstanceOf(GraphOutcome.Success.class);
        var noMedia = (GraphOutcome.Failure) client.interpret(
                400,
                "{\"error\":{\"message\":\"No media\",\"type\":\"x\",\"code\":138021,"
                        + "\"error_data\":{\"details\":\"client got no RTP\"},\"fbtrace_id\":\"T1\"}}");
        assertThat(noMedia.code()).isEqualTo(138021L);
        assertThat(noMedia.retryable()).isFalse();
        assertThat(noMedia.reason()).isEqualTo(EndReason.MediaTimeout);
        assertThat(noMedia.details()).isEqualTo("client got no RTP");
        assertThat(noMedia.fbtraceId()).isEqualTo("T1");

        var unavailable = (GraphOutcome.Failure) client.interpret(503, "<html>oops</html>");
        assertThat(unavailable.retryable()).isTrue();
        assertThat(unavailable.metricCode()).isEqualTo("http503");
        var limited = (GraphOutcome.Failure) client.interpret(400, "{\"error\":{\"code\":130429,\"message\":\"x\"}}");
        assertThat(limited.retryable()).isTrue();
        assertThat(((GraphOutcome.Failure) client.interpret(200, "{}")).retryable())
                .isFalse();
    }

    @Test
    void codesMapToReasons() {
        assertThat(GraphErrors.reasonFor(138002L)).isEqualTo(EndReason.NoCapacity);
        assertThat(GraphErrors.reasonFor(138007L)).isEqualTo(EndReason.MediaTimeout);
        assertThat(GraphErrors.reasonFor(138022L)).isEqualTo(EndReason.MediaTimeout);
        assertThat(GraphErrors.reasonFor(100L)).isEqualTo(EndReason.WhatsAppError);
        assertThat(GraphErrors.reasonFor(138006L)).isEqualTo(EndReason.NoCallPermission);
        assertThat(GraphErrors.reasonFor(138012L)).isEqualTo(EndReason.CallLimitReached);
        assertThat(GraphErrors.reasonFor(138013L)).isEqualTo(EndReason.CallingUnavailable);
        assertThat(GraphErrors.reasonFor(138003L)).isEqualTo(EndReason.CalleeUnavailable);
        assertThat(GraphErrors.reasonFor(null)).isEqualTo(EndReason.WhatsAppError);
        assertThat(GraphErrors.describe(190L)).contains("token");
    }

    @Test
    void nothingListeningIsARetryableTransportFailureThatNeverReachedGraph() {
        var outcome = (GraphOutcome.Failure) client.send(new GraphCommand("1", "c", CallAction.REJECT, null), "t");
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.httpStatus()).isZero();
        assertThat(outcome.metricCode()).isEqualTo("transport");
        assertThat(outcome.notProcessed())
                .as("no connection: even connect may be sent again")
                .isTrue();
    }

    @Test
    void connectCarriesTheOfferTheUserTheCallbackDataAndTheOptIns() throws Exception {
        String offer = "v=0\r\na=setup:actpass\r\n";
        var recording = new dev.voicebridge.api.v1alpha1.WhatsAppCapture();
        recording.setEnabled(true);
        recording.setPurpose("quality");
        recording.setAnnouncementLanguage("en_US");
        var off = new dev.voicebridge.api.v1alpha1.WhatsAppCapture();
        off.setEnabled(false);
        var body = new ObjectMapper()
                .readTree(client.body(new GraphCommand(
                        "123",
                        null,
                        CallAction.CONNECT,
                        offer,
                        "447700900123",
                        null,
                        "voicebridge:wa-x",
                        recording,
                        off)));
        assertThat(body.has("call_id")).isFalse();
        assertThat(body.get("to").asText()).isEqualTo("447700900123");
        assertThat(body.get("action").asText()).isEqualTo("connect");
        assertThat(body.get("session").get("sdp_type").asText()).isEqualTo("offer");
        assertThat(body.get("session").get("sdp").asText()).isEqualTo(offer);
        assertThat(body.get("biz_opaque_callback_data").asText()).isEqualTo("voicebridge:wa-x");
        assertThat(body.get("recording").get("status").asText()).isEqualTo("ENABLED");
        assertThat(body.get("recording").get("purpose").asText()).isEqualTo("quality");
        assertThat(body.get("recording").get("announcement_language").asText()).isEqualTo("en_US");
        assertThat(body.get("transcription").get("status").asText()).isEqualTo("DISABLED");
        assertThatThrownBy(() -> new GraphCommand("123", null, CallAction.CONNECT, offer, null, null, null, null, null))
                .hasMessageContaining("to or recipient");
        assertThat(new GraphCommand("123", null, CallAction.CONNECT, offer, "1", null, null, null, null).toString())
                .as("never the user")
                .isEqualTo("connect");
    }

    @Test
    void connectAnswersWithTheNewCallsId() {
        var placed =
                client.interpretConnect(200, "{\"messaging_product\":\"whatsapp\",\"calls\":[{\"id\":\"wacid.N\"}]}");
        assertThat(placed).isEqualTo(new GraphOutcome.Success(200, "wacid.N"));
        var noId = (GraphOutcome.Failure) client.interpretConnect(200, "{\"success\":true}");
        assertThat(noId.retryable()).isFalse();
        var refused = (GraphOutcome.Failure) client.interpretConnect(
                400, "{\"error\":{\"code\":138006,\"message\":\"No approved call permission\"}}");
        assertThat(refused.reason()).isEqualTo(EndReason.NoCallPermission);
        assertThat(refused.notProcessed()).isFalse();
        var rate = (GraphOutcome.Failure) client.interpretConnect(429, "{\"error\":{\"code\":4,\"message\":\"x\"}}");
        assertThat(rate.notProcessed())
                .as("refused for its rate: Graph did not place the call")
                .isTrue();
        var timeout = (GraphOutcome.Failure) client.interpretConnect(500, "{\"error\":{\"code\":1,\"message\":\"x\"}}");
        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout.notProcessed()).as("a 500 may have placed the call").isFalse();
    }

    @Test
    void thePermissionAnswerIsReadInEitherShape() {
        var json = new ObjectMapper();
        var granted = (PermissionOutcome.Known) PermissionAnswers.read(
                json,
                "{\"messaging_product\":\"whatsapp\",\"permission\":{\"status\":\"temporary\",\"expiration_time\":1767261600},"
                        + "\"actions\":[{\"action_name\":\"send_call_permission_request\",\"can_perform_action\":false},"
                        + "{\"action_name\":\"start_call\",\"can_perform_action\":false,"
                        + "\"limits\":[{\"time_period\":\"PT24H\",\"max_allowed\":5,\"current_usage\":5,"
                        + "\"limit_expiration_time\":1767265200}]}]}");
        assertThat(granted.granted()).isTrue();
        assertThat(granted.expiresAt()).isEqualTo(java.time.Instant.ofEpochSecond(1767261600));
        assertThat(granted.canStartCall()).isFalse();
        assertThat(granted.canRequestPermission()).isFalse();
        assertThat(granted.limitExpiresAt()).isEqualTo(java.time.Instant.ofEpochSecond(1767265200));
        var none = (PermissionOutcome.Known) PermissionAnswers.read(
                json, "{\"data\":[{\"permission\":{\"status\":\"NO_PERMISSION\"},\"actions\":[]}]}");
        assertThat(none.status()).isEqualTo("no_permission");
        assertThat(none.canStartCall()).isNull();
        assertThat(PermissionAnswers.read(json, "{\"permission\":{}}")).isInstanceOf(PermissionOutcome.Unknown.class);
        assertThat(PermissionAnswers.read(json, "<html>")).isInstanceOf(PermissionOutcome.Unknown.class);
    }

    @Test
    void backoffDoublesAndIsBounded() {
        var policy = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.mayRetry(3)).isTrue();
        assertThat(policy.mayRetry(4)).isFalse();
    }
}
