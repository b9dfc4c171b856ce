package dev.voicebridge.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.media.dtls.DtlsIdentity;
import dev.voicebridge.media.sdp.AnswerSpec;
import dev.voicebridge.media.sdp.IceCandidate;
import dev.voicebridge.media.sdp.IceCredentials;
import dev.voicebridge.media.sdp.SdpOfferBuilder;
import dev.voicebridge.media.sdp.SdpParser;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp's side of business-initiated calls against a webhook receiver on loopback that checks
 * every signature: the answer, the statuses and the terminate arrive signed, in order, echoing the
 * business's callback data; the phone answers the offer as WhatsApp would.
 */
class WhatsAppCalleesIT {
    static final String SECRET = "app-secret";
    final FakeGraphApi graph = FakeGraphApi.start("token");
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> badSignatures = new CopyOnWriteArrayList<>();
    HttpServer receiver;
    PhoneHost phones;
    WhatsAppCallees callees;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/webhooks/whatsapp", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String expected;
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            if (!expected.equals(exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"))) {
                badSignatures.add(new String(body, StandardCharsets.UTF_8));
            }
            received.add(new ObjectMapper().readTree(body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        phones = PhoneHost.start();
        callees = new WhatsAppCallees(
                graph,
                new WebhookSender(
                        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/whatsapp"),
                        SECRET));
    }

    @AfterEach
    void stop() {
        callees.close();
        phones.close();
        receiver.stop(0);
        graph.close();
    }

    @Test
    void anAnsweredCallSendsTheAnswerRingingAndAccepted() throws Exception {
        SyntheticPhone phone = phones.newPhone(new InetSocketAddress("127.0.0.1", 0), PhoneOptions.defaults());
        callees.register("447700900123", phone, new WhatsAppCallees.Behaviour.Answer(Duration.ofMillis(200)), true);
        String callId = connect("447700900123");

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        assertThat(badSignatures).isEmpty();
        assertThat(callees.sent()).containsExactly(callId + " connect", callId + " RINGING", callId + " ACCEPTED");
        JsonNode answer = value(received.get(0)).path("calls").get(0);
        assertThat(answer.path("event").asText()).isEqualTo("connect");
        assertThat(answer.path("direction").asText()).isEqualTo("BUSINESS_INITIATED");
        assertThat(answer.path("biz_opaque_callback_data").asText()).isEqualTo("voicebridge:wa-test");
        assertThat(answer.path("session").path("sdp_type").asText()).isEqualTo("answer");
        var parsed =
                new SdpParser().parseAnswer(answer.path("session").path("sdp").asText());
        assertThat(parsed.iceLite()).isTrue();
        assertThat(parsed.weAreDtlsClient()).as("the phone answered active").isFalse();
        JsonNode accepted = value(received.get(2)).path("statuses").get(0);
        assertThat(accepted.path("type").asText()).isEqualTo("call");
        assertThat(accepted.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.path("biz_opaque_callback_data").asText()).isEqualTo("voicebridge:wa-test");
        assertThat(callees.acceptedAt(callId)).isPresent();

        callees.hangUp(callId);
        JsonNode terminate = value(received.get(3)).path("calls").get(0);
        assertThat(terminate.path("event").asText()).isEqualTo("terminate");
        assertThat(terminate.path("start_time").asText()).isNotEmpty();
    }

    @Test
    void aRejectedCallSendsRejectedThenTerminateAndAnUnansweredOneOnlyTerminate() throws Exception {
        callees.register(
                "447700900001",
                phones.newPhone(new InetSocketAddress("127.0.0.1", 0), PhoneOptions.defaults()),
                new WhatsAppCallees.Behaviour.Reject(Duration.ofMillis(100)),
                false);
        callees.register(
                "447700900002",
                phones.newPhone(new InetSocketAddress("127.0.0.1", 0), PhoneOptions.defaults()),
                new WhatsAppCallees.Behaviour.NoAnswer(Duration.ofMillis(300)),
                false);
        String rejected = connect("447700900001");
        await().atMost(Duration.ofSeconds(10)).until(() -> callees.sent().contains(rejected + " terminate"));
        String unanswered = connect("447700900002");
        await().atMost(Duration.ofSeconds(10)).until(() -> callees.sent().contains(unanswered + " terminate"));
        assertThat(callees.sent())
                .containsSubsequence(rejected + " RINGING", rejected + " REJECTED", rejected + " terminate")
                .containsSubsequence(unanswered + " RINGING", unanswered + " terminate")
                .doesNotContain(unanswered + " ACCEPTED", unanswered + " REJECTED");
        JsonNode last = value(received.getLast()).path("calls").get(0);
        assertThat(last.has("start_time")).as("nobody picked up").isFalse();
        assertThat(badSignatures).isEmpty();
    }

    @Test
    void anOfferWhatsAppWouldRefuseEndsTheCallFailed() throws Exception {
        callees.register(
                "447700900009",
                phones.newPhone(new InetSocketAddress("127.0.0.1", 0), PhoneOptions.defaults()),
                new WhatsAppCallees.Behaviour.Answer(Duration.ZERO),
                false);
        String offer = offer().replace("a=setup:actpass", "a=setup:active");
        String callId = connect("447700900009", offer);
        await().atMost(Duration.ofSeconds(10)).until(() -> callees.sent().contains(callId + " terminate"));
        assertThat(callees.failures()).anySatisfy(f -> assertThat(f).hasMessageContaining("a=setup"));
        assertThat(value(received.getLast()).path("calls").get(0).path("status").asText())
                .isEqualTo("FAILED");
    }

    private String connect(String to) throws Exception {
        return connect(to, offer());
    }

    private String connect(String to, String offer) throws Exception {
        var body = new ObjectMapper().createObjectNode();
        body.put("messaging_product", "whatsapp").put("to", to).put("action", "connect");
        body.put("biz_opaque_callback_data", "voicebridge:wa-test");
        body.putObject("session").put("sdp_type", "offer").put("sdp", offer);
        var response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(graph.baseUri() + "/v23.0/1234/calls"))
                                .header("Authorization", "Bearer token")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper()
                .readTree(response.body())
                .path("calls")
                .get(0)
                .path("id")
                .asText();
    }

    private static String offer() {
        return new SdpOfferBuilder()
                .build(new AnswerSpec(
                        new IceCredentials("vbUf", "offer-password-offer-password"),
                        DtlsIdentity.generate("worker", Duration.ofDays(1)).fingerprint(),
                        List.of(IceCandidate.udpHost("1", 2130706431L, "127.0.0.1", 40000)),
                        5L));
    }

    private static JsonNode value(JsonNode webhook) {
        return webhook.path("entry").get(0).path("changes").get(0).path("value");
    }
}
