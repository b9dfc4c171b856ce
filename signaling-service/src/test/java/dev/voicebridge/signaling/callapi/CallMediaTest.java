package dev.voicebridge.signaling.callapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.config.SecretValue;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Downloads of WhatsApp's media: only announced media, only with a token, the token only to Graph. */
class CallMediaTest {

    static VoiceCall call(String annotation) {
        var meta = new ObjectMetaBuilder().withName("wa-media");
        if (annotation != null) {
            meta.addToAnnotations(Labels.WHATSAPP_RECORDING_ANNOTATION, annotation);
        }
        var call = new VoiceCall();
        call.setMetadata(meta.build());
        return call;
    }

    static void assertCode(Runnable action, ProblemCode code) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.code())
                .isEqualTo(code));
    }

    @Test
    void nothingAnnouncedOrNoTokenIsAClearProblem() {
        var media = new CallMedia(new SignalingConfig.Graph(SecretValue.of(""), "http://127.0.0.1:1", "v23.0"));
        assertCode(() -> media.fetch(call(null), CallMedia.Kind.RECORDING), ProblemCode.MEDIA_NOT_AVAILABLE);
        assertCode(() -> media.fetch(call("{not json"), CallMedia.Kind.RECORDING), ProblemCode.MEDIA_NOT_AVAILABLE);
        assertCode(
                () -> media.fetch(call("{\"mediaId\":\"../../x\"}"), CallMedia.Kind.RECORDING),
                ProblemCode.MEDIA_NOT_AVAILABLE);
        assertCode(
                () -> media.fetch(call("{\"mediaId\":\"123\"}"), CallMedia.Kind.RECORDING),
                ProblemCode.MEDIA_DOWNLOAD_DISABLED);
        assertCode(
                () -> media.fetch(call("{\"mediaId\":\"123\"}"), CallMedia.Kind.TRANSCRIPT),
                ProblemCode.MEDIA_NOT_AVAILABLE);
    }

    @Test
    void theTokenIsNeverSentToAPlainHttpUrlOffTheGraphOrigin() throws Exception {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        HttpServer graph = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        other.createContext("/", exchange -> {
            elsewhere.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        String url = "http://localhost:" + other.getAddress().getPort() + "/steal";
        graph.createContext("/", exchange -> {
            byte[] body = ("{\"url\":\"" + url + "\",\"mime_type\":\"audio/ogg\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        graph.start();
        other.start();
        try {
            var media = new CallMedia(new SignalingConfig.Graph(
                    SecretValue.of("secret-token"),
                    "http://127.0.0.1:" + graph.getAddress().getPort(),
                    "v23.0"));
            assertCode(
                    () -> media.fetch(call("{\"mediaId\":\"123\"}"), CallMedia.Kind.RECORDING),
                    ProblemCode.MEDIA_FETCH_FAILED);
            assertThat(elsewhere).isEmpty();
        } finally {
            graph.stop(0);
            other.stop(0);
        }
    }
}
