package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.testkit.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WhatsApp's side of call signaling: the {@code connect} and {@code terminate} webhooks in the
 * shape of the real fixtures, with a given call id, offer and a current timestamp, signed with the
 * app secret ({@code X-Hub-Signature-256}, HMAC-SHA256 of the body) as Meta signs them, and posted
 * to a webhook URL.
 */
public final class SignedWebhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1 as Meta delivers webhooks (the JDK client's default h2c upgrade is not what they send). */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI webhook;
    private final String appSecret;
    private final String phoneNumberId;

    /**
     * @param webhook the full webhook URL, e.g. {@code http://127.0.0.1:8080/webhooks/whatsapp}
     */
    public SignedWebhooks(URI webhook, String appSecret, String phoneNumberId) {
        this.webhook = webhook;
        this.appSecret = appSecret;
        this.phoneNumberId = phoneNumberId;
    }

    /** A call arrives: {@code connect} with the caller's SDP offer. */
    public HttpResponse<String> connect(String callId, String sdpOffer) throws IOException, InterruptedException {
        ObjectNode root = (ObjectNode) JSON.readTree(Fixtures.WHATSAPP_CONNECT.text());
        ObjectNode value = value(root);
        ((ObjectNode) value.path("metadata")).put("phone_number_id", phoneNumberId);
        ObjectNode call = (ObjectNode) value.path("calls").get(0);
        call.put("id", callId);
        call.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
        ((ObjectNode) call.path("session")).put("sdp", sdpOffer);
        return post(JSON.writeValueAsBytes(root));
    }

    /** The caller hung up: {@code terminate}, status COMPLETED, no errors. */
    public HttpResponse<String> terminate(String callId) throws IOException, InterruptedException {
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

    /** {@code sha256=<hex HMAC-SHA256 of the body with the app secret>}. */
    public static String signature(byte[] body, String appSecret) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static ObjectNode value(ObjectNode root) {
        return (ObjectNode) root.path("entry").get(0).path("changes").get(0).path("value");
    }

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(webhook)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", signature(body, appSecret))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
