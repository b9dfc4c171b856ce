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
        assertThat(GraphErrors.reasonFor(138006L)).isEqualTo(EndReason.WhatsAppError);
        assertThat(GraphErrors.reasonFor(null)).isEqualTo(EndReason.WhatsAppError);
        assertThat(GraphErrors.describe(190L)).contains("token");
    }

    @Test
    void nothingListeningIsARetryableTransportFailure() {
        var outcome = (GraphOutcome.Failure) client.send(new GraphCommand("1", "c", CallAction.REJECT, null), "t");
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.httpStatus()).isZero();
        assertThat(outcome.metricCode()).isEqualTo("transport");
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
