package dev.voicebridge.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GPT-Live's WebRTC session creation over real HTTP against a server that answers as OpenAI's does. */
class LiveCallClientTest {
    private static final String ANSWER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String KEY = "sk-live-secret";
    private final ObjectMapper json = new ObjectMapper();

    private OpenAiEndpoint openai;
    private LiveCallClient client;

    @BeforeEach
    void start() throws IOException {
        openai = new OpenAiEndpoint("/v1/live/sessions", 200, created("live_123"));
        client = new LiveCallClient(
                openai.uri("/v1/live/sessions"), KEY, HttpClient.newHttpClient(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        openai.close();
    }

    /** The latest request as "Content-Type body". */
    private String request() {
        return openai.last().contentType() + " " + openai.last().body();
    }

    private String created(String id) {
        var body = json.createObjectNode();
        body.putObject("session").put("id", id);
        body.putObject("transport").put("type", "webrtc").put("sdp", ANSWER);
        return body.toString();
    }

    @Test
    void postsTheSessionAndTheOfferAndReturnsTheAnswerAndTheSessionId() throws Exception {
        var call = client.create("v=0\r\noffer\r\n", "{\"model\":\"gpt-live-1\",\"instructions\":\"Be brief.\"}")
                .get(5, TimeUnit.SECONDS);
        assertThat(call).isEqualTo(new CreatedCall(ANSWER, "live_123"));
        assertThat(openai.last().authorization()).isEqualTo("Bearer " + KEY);
        assertThat(request()).startsWith("application/json ");
        var sent = json.readTree(request().substring("application/json ".length()));
        assertThat(sent.path("session").path("model").asText()).isEqualTo("gpt-live-1");
        assertThat(sent.path("session").path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(sent.path("transport").path("type").asText()).isEqualTo("webrtc");
        assertThat(sent.path("transport").path("sdp").asText()).isEqualTo("v=0\r\noffer\r\n");
        assertThat(LiveCallClient.sideband(URI.create("https://api.openai.com/v1/live/sessions"), call.callId()))
                .isEqualTo(URI.create("wss://api.openai.com/v1/live/sessions/live_123/attach"));
    }

    @Test
    void aSessionIdThatIsNotOnePathSegmentIsRefused() {
        for (String id : new String[] {"../../v1/other", "live 1", "", "a/b"}) {
            openai.body = created(id);
            assertThat(refusal().code()).as(id).isEqualTo("no-call-id");
        }
        assertThatThrownBy(() -> LiveCallClient.sideband(URI.create("https://x/v1/live/sessions"), "../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusalsAndUnusableAnswersSayWhyButNeverTheKey() {
        openai.status = 401;
        openai.body = "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\","
                + "\"message\":\"Incorrect API key provided.\"}}";
        var refused = refusal();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("invalid_api_key");
        assertThat(refused.getMessage()).doesNotContain(KEY);

        openai.status = 200;
        openai.body = "{\"session\":{\"id\":\"live_1\"},\"transport\":{\"type\":\"webrtc\"}}";
        assertThat(refusal().code()).isEqualTo("not-sdp");
        openai.body = "<html>";
        assertThat(refusal().code()).isEqualTo("not-json");
        assertThatThrownBy(() -> client.create("v=0\r\n", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.create("v=0\r\n", "[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    private ModelCallRefusedException refusal() {
        var failure = catchThrowable(
                () -> client.create("v=0\r\n", "{\"model\":\"gpt-live-1\"}").get(5, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(ModelCallRefusedException.class);
        return (ModelCallRefusedException) failure.getCause();
    }
}
