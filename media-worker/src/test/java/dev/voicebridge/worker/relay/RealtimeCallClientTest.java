package dev.voicebridge.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Realtime WebRTC call's creation over real HTTP against a server that answers as OpenAI's does. */
class RealtimeCallClientTest {
    private static final String ANSWER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String KEY = "sk-test-secret";

    private OpenAiEndpoint openai;
    private RealtimeCallClient client;

    @BeforeEach
    void start() throws IOException {
        openai = new OpenAiEndpoint("/v1/realtime/calls", 201, ANSWER);
        openai.location = "/v1/realtime/calls/rtc_u1_9c6574da8b8a41a1";
        client = new RealtimeCallClient(
                openai.uri("/v1/realtime/calls"), KEY, HttpClient.newHttpClient(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        openai.close();
    }

    /** Each request as "METHOD [path ]body", the path only when it is not the calls endpoint's. */
    private List<String> requests() {
        return openai.requests().stream()
                .map(r -> r.method() + " " + (r.path().endsWith("/calls") ? "" : r.path() + " ") + r.body())
                .toList();
    }

    @Test
    void postsTheOfferAndTheSessionAsMultipartAndReturnsTheAnswerAndTheCallId() throws Exception {
        String offer = "v=0\r\no=- 7 1 IN IP4 10.0.0.1\r\ns=-\r\n";
        var created = client.create(offer, "{\"type\":\"realtime\",\"model\":\"gpt-realtime-2\"}")
                .get(5, TimeUnit.SECONDS);

        assertThat(created.answerSdp()).isEqualTo(ANSWER);
        assertThat(created.callId()).isEqualTo("rtc_u1_9c6574da8b8a41a1");
        assertThat(openai.last().authorization()).isEqualTo("Bearer " + KEY);
        Matcher m = Pattern.compile("multipart/form-data; boundary=(\\S+)")
                .matcher(openai.last().contentType());
        assertThat(m.matches()).as(openai.last().contentType()).isTrue();
        String boundary = m.group(1);
        assertThat(requests()).hasSize(1);
        assertThat(requests().get(0))
                .isEqualTo("POST --" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"sdp\"\r\nContent-Type: application/sdp\r\n\r\n"
                        + offer + "\r\n--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"session\"\r\nContent-Type: application/json\r\n\r\n"
                        + "{\"type\":\"realtime\",\"model\":\"gpt-realtime-2\"}\r\n--" + boundary + "--\r\n");
        assertThat(offer).doesNotContain(boundary);
    }

    @Test
    void aRefusalCarriesTheStatusAndOpenAisCodeButNeverTheKey() {
        openai.status = 400;
        openai.location = null;
        openai.body = "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_offer\","
                + "\"message\":\"The SDP offer has no audio.\",\"param\":\"sdp\"}}";
        var refused = refusal();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("invalid_offer");
        assertThat(refused.getMessage()).contains("The SDP offer has no audio.").doesNotContain(KEY);

        openai.status = 502;
        openai.body = "<html>bad gateway</html>";
        assertThat(refusal().code()).isEqualTo("http-502");
    }

    @Test
    void anAnswerWithoutACallIdOrWithoutSdpIsRefused() {
        openai.location = "/v1/realtime/calls/";
        assertThat(refusal().code()).isEqualTo("no-call-id");
        openai.location = "/v1/realtime/calls/rtc_ok";
        openai.body = "{\"not\":\"sdp\"}";
        assertThat(refusal().code()).isEqualTo("not-sdp");
    }

    @Test
    void aHangUpPostsToTheCallsOwnPathAndRefusesWhatIsNotACallId() throws Exception {
        openai.body = "";
        openai.status = 200;
        client.hangup("rtc_u1_9c65").get(5, TimeUnit.SECONDS);
        assertThat(requests()).containsExactly("POST /v1/realtime/calls/rtc_u1_9c65/hangup ");
        assertThat(openai.last().authorization()).isEqualTo("Bearer " + KEY);
        for (String bad : new String[] {"../../v1/files", "rtc_a/../b", "rtc_", "call_1", ""}) {
            assertThatThrownBy(() -> client.hangup(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(requests()).hasSize(1);
        openai.status = 404;
        openai.body = "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"call_not_found\",\"message\":\"x\"}}";
        var failure = catchThrowable(() -> client.hangup("rtc_gone").get(5, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOfSatisfying(ModelCallRefusedException.class, r -> assertThat(r.code())
                .isEqualTo("call_not_found"));
    }

    @Test
    void theCallIdIsTheLastRtcSegmentOfTheLocationWhateverItsForm() {
        assertThat(RealtimeCallClient.callId("/v1/realtime/calls/rtc_abc")).hasValue("rtc_abc");
        assertThat(RealtimeCallClient.callId("https://api.openai.com/v1/realtime/calls/rtc_abc?x=1"))
                .hasValue("rtc_abc");
        assertThat(RealtimeCallClient.callId("/v1/realtime/calls/calls/rtc_x-Y_9"))
                .hasValue("rtc_x-Y_9");
        assertThat(RealtimeCallClient.callId("/v1/realtime/calls/rtc_")).isEmpty();
        assertThat(RealtimeCallClient.callId("/v1/realtime/calls/rtc_a%2F..")).isEmpty();
        assertThat(RealtimeCallClient.sideband(URI.create("wss://api.openai.com/v1/realtime?model=m"), "rtc_abc"))
                .isEqualTo(URI.create("wss://api.openai.com/v1/realtime?call_id=rtc_abc"));
    }

    @Test
    void theCallsEndpointSitsBesideTheRealtimeWebSocketBase() {
        assertThat(RealtimeCallClient.callsUrl(URI.create("wss://api.openai.com/v1/realtime")))
                .isEqualTo(URI.create("https://api.openai.com/v1/realtime/calls"));
        assertThat(RealtimeCallClient.callsUrl(URI.create("ws://127.0.0.1:8123/v1/realtime/?model=m")))
                .isEqualTo(URI.create("http://127.0.0.1:8123/v1/realtime/calls"));
        assertThatThrownBy(() -> RealtimeCallClient.callsUrl(URI.create("ftp://example.test/v1/realtime")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ModelCallRefusedException refusal() {
        var failure = catchThrowable(() -> client.create("v=0\r\n", null).get(5, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(ModelCallRefusedException.class);
        return (ModelCallRefusedException) failure.getCause();
    }
}
