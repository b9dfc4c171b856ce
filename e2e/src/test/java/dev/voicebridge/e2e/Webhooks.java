package dev.voicebridge.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.testkit.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * WhatsApp's side of signaling: the connect and terminate webhooks in the shape of the shared
 * fixtures, with a fresh call id, our phone's offer and a current timestamp, signed with the app
 * secret ({@code X-Hub-Signature-256}) as Meta signs them; and the bearer call API.
 */
final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI signaling;

    Webhooks(URI signaling) {
        this.signaling = signaling;
    }

    HttpResponse<String> connect(String callId, String sdpOffer) throws Exception {
        return connect(callId, sdpOffer, E2eStack.PHONE_NUMBER_ID);
    }

    /** A call to the business number {@code phoneNumberId}. */
    HttpResponse<String> connect(String callId, String sdpOffer, String phoneNumberId) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Fixtures.WHATSAPP_CONNECT.text());
        ObjectNode value = value(root);
        ((ObjectNode) value.path("metadata")).put("phone_number_id", phoneNumberId);
        ObjectNode call = (ObjectNode) value.path("calls").get(0);
        call.put("id", callId);
        call.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
        ((ObjectNode) call.path("session")).put("sdp", sdpOffer);
        return post(JSON.writeValueAsBytes(root));
    }

    /** The caller hung up: terminate, status COMPLETED, no errors. */
    HttpResponse<String> terminate(String callId) throws Exception {
        return terminate(callId, E2eStack.PHONE_NUMBER_ID);
    }

    HttpResponse<String> terminate(String callId, String phoneNumberId) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Fixtures.WHATSAPP_TERMINATE_FAILED.text());
        ObjectNode value = value(root);
        ((ObjectNode) value.path("metadata")).put("phone_number_id", phoneNumberId);
        ObjectNode call = (ObjectNode) value.path("calls").get(0);
        long now = System.currentTimeMillis() / 1000;
        call.put("id", callId);
        call.put("timestamp", Long.toString(now));
        call.put("end_time", Long.toString(now));
        call.put("status", "COMPLETED");
        call.remove("errors");
        return post(JSON.writeValueAsBytes(root));
    }

    private static ObjectNode value(ObjectNode root) {
        return (ObjectNode) root.path("entry").get(0).path("changes").get(0).path("value");
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        String signature = Fixtures.signature(E2eStack.APP_SECRET, body);
        return http.send(
                HttpRequest.newBuilder(signaling.resolve("/webhooks/whatsapp"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The bearer call API of signaling-service. */
    HttpResponse<String> api(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(signaling.resolve(path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + E2eStack.API_TOKEN)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ObjectMapper json() {
        return JSON;
    }
}
