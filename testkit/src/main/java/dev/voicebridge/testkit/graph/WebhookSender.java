package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Delivers webhooks as Meta does: a JSON POST signed with the app secret ({@code
 * X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}), redelivered when the receiver
 * answers 5xx or cannot be reached (a few times, with a short backoff; Meta keeps trying far
 * longer). Thread-safe.
 */
public final class WebhookSender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI webhookUrl;
    private final byte[] appSecret;

    /** @param webhookUrl the receiver, e.g. {@code http://127.0.0.1:8080/webhooks/whatsapp} */
    public WebhookSender(URI webhookUrl, String appSecret) {
        this.webhookUrl = webhookUrl;
        this.appSecret = appSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** Posts {@code body}; the status of the last attempt (0 when the receiver never answered). */
    public int post(ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        var request = HttpRequest.newBuilder(webhookUrl)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(hmac(bytes)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        int status = 0;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status < 500) {
                    return status;
                }
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
        }
        return status;
    }

    private byte[] hmac(byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
