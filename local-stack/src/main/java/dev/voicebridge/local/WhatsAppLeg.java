package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.graph.SignedWebhooks;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code ./voicebridge call --whatsapp}: the call placed the way WhatsApp places it. A signed
 * {@code connect} webhook carries the phone's offer; the operator's {@code pre_accept} and {@code
 * accept} reach the local Graph stand-in, from which the phone takes the SDP answer (WhatsApp
 * connects the caller on {@code pre_accept}); the caller hangs up with a signed {@code terminate}.
 */
final class WhatsAppLeg {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final SignedWebhooks webhooks;
    private final URI graph;
    private final PrintStream out;

    /**
     * @param webhook where WhatsApp delivers webhooks: signaling's {@code /webhooks/whatsapp}, or an
     *     edge function that owns the WhatsApp leg
     */
    WhatsAppLeg(HttpClient http, URI webhook, URI graph, String appSecret, String phoneNumberId, PrintStream out) {
        this.http = http;
        this.webhooks = new SignedWebhooks(webhook, appSecret, phoneNumberId);
        this.graph = graph;
        this.out = out;
    }

    /** Connect webhook, then the SDP of the operator's pre_accept to the phone; false when none came. */
    boolean connect(String callId, SyntheticPhone phone) throws Exception {
        HttpResponse<String> connected = webhooks.connect(callId, phone.offer());
        out.println("call      | signed connect webhook -> " + connected.statusCode() + " " + connected.body());
        if (connected.statusCode() != 200) {
            return false;
        }
        Optional<String> preAccepted = awaitAction(callId, "pre_accept", Duration.ofSeconds(15));
        if (preAccepted.isEmpty()) {
            out.println("call      | no pre_accept reached the Graph stand-in at " + graph + " within 15 s");
            return false;
        }
        phone.acceptAnswer(preAccepted.get());
        Optional<String> accepted = awaitAction(callId, "accept", Duration.ofSeconds(15));
        if (accepted.isEmpty()) {
            out.println("call      | no accept reached the Graph stand-in within 15 s");
            return false;
        }
        out.println("call      | pre_accept and accept received by the Graph stand-in, "
                + (accepted.get().equals(preAccepted.get()) ? "with the same SDP" : "WITH DIFFERENT SDP"));
        return accepted.get().equals(preAccepted.get());
    }

    /** The caller hangs up: a signed terminate webhook. */
    int terminate(String callId) throws Exception {
        return webhooks.terminate(callId).statusCode();
    }

    /** The SDP of the call's first successful {@code action} at the stand-in, polled. */
    private Optional<String> awaitAction(String callId, String action, Duration timeout) throws Exception {
        URI uri = graph.resolve(
                GraphStandIn.ACTIONS_PATH + "?call_id=" + URLEncoder.encode(callId, StandardCharsets.UTF_8));
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode a : JSON.readTree(response.body())) {
                if (action.equals(a.path("action").asText()) && a.path("status").asInt() == 200) {
                    return Optional.of(a.path("sdp").asText());
                }
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }
}
