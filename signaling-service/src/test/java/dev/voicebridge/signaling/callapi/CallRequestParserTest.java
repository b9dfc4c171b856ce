package dev.voicebridge.signaling.callapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.signaling.Fixtures;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallRequestParserTest {
    static final String OFFER = Fixtures.read("whatsapp-offer.sdp");
    final CallRequestParser parser = new CallRequestParser();

    static String body(String callId, String sdp, String extra) {
        return "{" + (callId == null ? "" : "\"callId\":\"" + callId + "\",") + "\"sdpOffer\":" + quote(sdp) + extra
                + "}";
    }

    static String quote(String s) {
        return "\""
                + s.replace("\\", "\\\\")
                        .replace("\r", "\\r")
                        .replace("\n", "\\n")
                        .replace("\"", "\\\"") + "\"";
    }

    void assertProblem(String json, ProblemCode code, String detail) {
        assertThatThrownBy(() -> parser.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(detail);
                });
    }

    @Test
    void parsesAFullRequestWithDefaults() {
        var request = parser.parse(
                body("wacid.1", OFFER, ",\"agent\":\"a\",\"overrides\":{\"model\":\"gpt-realtime-mini\"},\"unknown\":1")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(request.callId()).isEqualTo("wacid.1");
        assertThat(request.sdpOffer()).isEqualTo(OFFER);
        assertThat(request.acceptBy()).isEqualTo(AcceptBy.caller);
        assertThat(request.overrides().model()).isEqualTo("gpt-realtime-mini");
        assertThat(request.maxDurationSeconds()).isNull();
    }

    @Test
    void acceptsLfOnlyOffersAndChromiumOffers() {
        assertThat(parser.parse(body("c", OFFER.replace("\r\n", "\n"), "").getBytes(StandardCharsets.UTF_8))
                        .sdpOffer())
                .startsWith("v=0\n");
    }

    @Test
    void eachValidationFailureHasItsCodeAndSaysWhatWasWrong() {
        assertProblem(body(null, OFFER, ""), ProblemCode.MISSING_FIELD, "callId");
        assertProblem(body(" ", OFFER, ""), ProblemCode.MISSING_FIELD, "callId");
        assertProblem("{\"callId\":\"x\"}", ProblemCode.MISSING_FIELD, "sdpOffer");
        assertProblem(body("x".repeat(513), OFFER, ""), ProblemCode.INVALID_FIELD, "callId is longer than 512");
        assertProblem("{\"callId\":5,\"sdpOffer\":\"v=0\"}", ProblemCode.INVALID_FIELD, "callId must be a string");
        assertProblem(body("x", "o=- 1 1 IN IP4 0.0.0.0\r\n", ""), ProblemCode.INVALID_SDP, "line 1 must be \"v=0\"");
        assertProblem(
                body("x", OFFER.replace("a=ptime:20\r\n", "a=ptime:20\r\n garbage\r\n"), ""),
                ProblemCode.INVALID_SDP,
                "line 27");
        assertProblem(body("x", "v=0\r\ns=-\r\n", ""), ProblemCode.INVALID_SDP, "no m=audio");
        assertProblem(body("x", OFFER + "a=x:" + "y".repeat(65_536), ""), ProblemCode.SDP_TOO_LARGE, "limit is 65536");
        assertProblem(body("x", OFFER, ",\"acceptBy\":\"me\""), ProblemCode.INVALID_FIELD, "acceptBy");
        assertProblem(
                body("x", OFFER, ",\"maxDurationSeconds\":90000"), ProblemCode.INVALID_FIELD, "maxDurationSeconds");
        assertProblem(body("x", OFFER, ",\"phoneNumberId\":\"1 2\""), ProblemCode.INVALID_FIELD, "phoneNumberId");
        assertProblem(body("x", OFFER, ",\"overrides\":[]"), ProblemCode.INVALID_FIELD, "overrides");
        assertProblem(
                body("x", OFFER, ",\"overrides\":{\"voice\":\"" + "v".repeat(65) + "\"}"),
                ProblemCode.INVALID_FIELD,
                "overrides.voice");
        assertProblem("{\"callId\":", ProblemCode.MALFORMED_JSON, "not valid JSON");
        assertProblem("[]", ProblemCode.MALFORMED_JSON, "object");
    }
}
