package dev.voicebridge.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.graph.SignedWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * WhatsApp's side of signaling for the e2e stack: the signed {@code connect} and {@code terminate}
 * webhooks of testkit's {@link SignedWebhooks}, and the bearer call API.
 */
final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI signaling;
    private final SignedWebhooks whatsapp;

    Webhooks(URI signaling) {
        this.signaling = signaling;
        this.whatsapp = new SignedWebhooks(
                signaling.resolve("/webhooks/whatsapp"), E2eStack.APP_SECRET, E2eStack.PHONE_NUMBER_ID);
    }

    HttpResponse<String> connect(String callId, String sdpOffer) throws Exception {
        return whatsapp.connect(callId, sdpOffer);
    }

    /** A call to the business number {@code phoneNumberId}. */
    HttpResponse<String> connect(String callId, String sdpOffer, String phoneNumberId) throws Exception {
        return to(phoneNumberId).connect(callId, sdpOffer);
    }

    /** The caller hung up: terminate, status COMPLETED, no errors. */
    HttpResponse<String> terminate(String callId) throws Exception {
        return whatsapp.terminate(callId);
    }

    HttpResponse<String> terminate(String callId, String phoneNumberId) throws Exception {
        return to(phoneNumberId).terminate(callId);
    }

    private SignedWebhooks to(String phoneNumberId) {
        return new SignedWebhooks(signaling.resolve("/webhooks/whatsapp"), E2eStack.APP_SECRET, phoneNumberId);
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
