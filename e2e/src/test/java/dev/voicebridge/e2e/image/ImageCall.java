package dev.voicebridge.e2e.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * One call through the call API, as an edge function places it: a WhatsApp-like synthetic phone
 * on the test network's phone address ({@link TestNetwork#PHONE}; the worker refuses loopback
 * candidates) offers, signaling answers with the worker's SDP, the call is confirmed accepted, media connects,
 * the phone says a tone and the embedded echo agent says it back.
 */
final class ImageCall {
    static final double TONE_HZ = 1300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageCall() {}

    static void answered(URI signaling, String token, String phoneNumberId) throws Exception {
        try (HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                PhoneHost host = PhoneHost.start();
                SyntheticPhone phone = host.newPhone(
                        new InetSocketAddress(TestNetwork.PHONE, 0),
                        new PhoneOptions(null, PcmSource.silence(), 20, false))) {
            String callId = "image-" + UUID.randomUUID();
            var create = JSON.createObjectNode()
                    .put("callId", callId)
                    .put("sdpOffer", phone.offer())
                    .put("from", "447700900123")
                    .put("to", "15550001906")
                    .put("phoneNumberId", phoneNumberId);
            var created = send(http, signaling, token, "POST", "/v1/calls", create.toString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            phone.acceptAnswer(JSON.readTree(created.body()).path("sdpAnswer").asText());
            phone.startRecording();
            String path = "/v1/calls/" + callId;
            assertThat(send(http, signaling, token, "POST", path + "/accepted", "")
                            .statusCode())
                    .isBetween(200, 299);
            assertThat(phone.awaitConnected(Duration.ofSeconds(30)))
                    .as("ICE + DTLS-SRTP: " + phone.stats())
                    .isTrue();
            phone.play(PcmSource.of(Signals.tone(TONE_HZ, 0.5, 2000)));
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(heardTone(phone.recording()))
                            .as("the echo of the phone's tone, Opus-coded by the worker: " + phone.stats())
                            .isTrue());
            assertThat(send(http, signaling, token, "DELETE", path, null).statusCode())
                    .isBetween(200, 299);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        JsonNode view = JSON.readTree(
                                send(http, signaling, token, "GET", path, null).body());
                        assertThat(view.path("phase").asText()).isEqualTo("Ended");
                    });
            assertThat(phone.stats().srtpDropped()).isZero();
        }
    }

    /** Some 200 ms of what the phone heard is loud and dominated by the tone. */
    static boolean heardTone(short[] recording) {
        int window = PcmSource.SAMPLE_RATE / 5;
        for (int from = 0; from + window <= recording.length; from += window / 2) {
            if (AudioAnalysis.rms(recording, from, window) < 0.01) {
                continue;
            }
            var d = AudioAnalysis.dominant(recording, from, window, PcmSource.SAMPLE_RATE, TONE_HZ, 440, 880, 2000);
            if (d.hz() == TONE_HZ && d.share() > 0.6) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> send(
            HttpClient http, URI base, String token, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
