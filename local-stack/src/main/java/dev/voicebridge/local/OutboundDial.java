package dev.voicebridge.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.graph.CallWebhooks;
import dev.voicebridge.testkit.graph.OutboundCall;
import dev.voicebridge.testkit.graph.WebhookSender;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code ./voicebridge call --outbound}: the agent calls a synthetic WhatsApp user. {@code POST
 * /v1/calls/outbound} starts it; the local stack's fake Graph API takes the operator's connect,
 * and this process plays the rest of WhatsApp: it reads the worker's offer and WhatsApp's call id
 * from the VoiceCall (the in-memory Kubernetes API), lets the phone answer the offer, and sends
 * the signed webhooks WhatsApp would — the answer, RINGING, then ACCEPTED once the phone is picked
 * up.
 */
final class OutboundDial {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RING = Duration.ofMillis(1500);

    private OutboundDial() {}

    /** Places the call and picks it up; the call's API path, or null when it could not be placed. */
    static String dial(PlaceCall.Api api, PlaceCall.CallOptions options, SyntheticPhone phone, PrintStream out)
            throws Exception {
        var body = JSON.createObjectNode()
                .put("to", options.from())
                .put("phoneNumberId", options.phoneNumberId())
                .put("callbackData", "voicebridge-call-outbound");
        HttpResponse<String> created = api.send("POST", "/v1/calls/outbound", JSON.writeValueAsString(body));
        if (created.statusCode() != 201) {
            out.println("call      | POST /v1/calls/outbound answered " + created.statusCode() + ": " + created.body());
            return null;
        }
        String callId = JSON.readTree(created.body()).path("callId").asText();
        String path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
        out.println("call      | " + callId + ": calling a synthetic WhatsApp user on " + phone.localAddress());
        VoiceCall placed =
                awaitConnect(options.kube(), options.namespace(), CallNames.forCallId(callId), Duration.ofSeconds(20));
        if (placed == null) {
            out.println("call      | the operator did not send connect within 20 s (see GET " + path + ")");
            api.send("DELETE", path, null);
            return null;
        }
        var call = new OutboundCall(
                options.phoneNumberId(),
                placed.getStatus().getWhatsapp().getCallId(),
                options.from(),
                null,
                placed.currentMedia().getSdpOffer(),
                CallNames.callbackData(placed.getMetadata().getName()),
                null,
                null);
        var webhooks = new WebhookSender(options.signaling().resolve("/webhooks/whatsapp"), options.appSecret());
        String answer = phone.answerOffer(call.sdpOffer(), false);
        post(webhooks, CallWebhooks.answer(call, answer), "answer", out);
        post(webhooks, CallWebhooks.status(call, "RINGING"), "RINGING", out);
        out.println("call      | ringing; picking up in " + RING.toMillis() + " ms");
        PlaceCall.pause(RING);
        phone.startRecording();
        phone.pickUp();
        post(webhooks, CallWebhooks.status(call, "ACCEPTED"), "ACCEPTED", out);
        return path;
    }

    private static void post(
            WebhookSender webhooks, com.fasterxml.jackson.databind.node.ObjectNode body, String what, PrintStream out) {
        int status = webhooks.post(body);
        if (status != 200) {
            out.println("call      | the " + what + " webhook answered " + status);
        }
    }

    /** The VoiceCall once the worker offered and WhatsApp (the fake) gave the call its id. */
    private static VoiceCall awaitConnect(URI kube, String namespace, String name, Duration bound)
            throws InterruptedException {
        var config = new ConfigBuilder().withMasterUrl(kube.toString()).build();
        try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
            Instant deadline = Instant.now().plus(bound);
            while (Instant.now().isBefore(deadline)) {
                VoiceCall call = client.resources(VoiceCall.class)
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
                if (call != null
                        && call.getStatus() != null
                        && call.getStatus().getWhatsapp() != null
                        && call.getStatus().getWhatsapp().getCallId() != null
                        && call.currentMedia() != null
                        && call.currentMedia().getSdpOffer() != null) {
                    return call;
                }
                if (call != null && call.phase().isTerminal()) {
                    return null;
                }
                PlaceCall.pause(Duration.ofMillis(100));
            }
            return null;
        }
    }
}
