package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.graph.UserPermission;
import dev.voicebridge.testkit.graph.WebhookSender;
import dev.voicebridge.testkit.graph.WhatsAppCallees;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Business-initiated calls through the whole system: {@code POST /v1/calls/outbound}, the
 * operator's permission check and Graph connect with the worker's offer, WhatsApp (the fake Graph
 * API and {@link WhatsAppCallees}) ringing a synthetic phone that answers the offer and sends the
 * signed webhooks, signaling recording them, and the worker greeting only once the user picked
 * up. Answered (hung up by either side), rejected, unanswered and without permission.
 */
@Timeout(300)
class OutboundE2E {
    static final double GREETING_HZ = 660;
    static final AtomicInteger USERS = new AtomicInteger();
    static E2eStack stack;
    static Webhooks api;
    static WhatsAppCallees whatsapp;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        stack = new E2eStack("OutboundE2E");
        stack.realtime.greetWith(ResponseAudio.tone(GREETING_HZ, 800));
        api = new Webhooks(stack.signaling);
        whatsapp = new WhatsAppCallees(
                stack.graph, new WebhookSender(stack.signaling.resolve("/webhooks/whatsapp"), E2eStack.APP_SECRET));
    }

    @AfterAll
    static void stop() {
        if (whatsapp != null) {
            whatsapp.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static String user() {
        return "4477009" + String.format("%05d", USERS.incrementAndGet());
    }

    SyntheticPhone callee(String user, WhatsAppCallees.Behaviour behaviour, boolean activeDtls) throws Exception {
        SyntheticPhone phone =
                stack.phones.newPhone(new InetSocketAddress(E2eStack.PHONE_ADDRESS, 0), CallFlowE2E.recordingPhone());
        whatsapp.register(user, phone, behaviour, activeDtls);
        return phone;
    }

    /** Places the call through the API; its call id (for the API and the VoiceCall's name). */
    static String dial(String user) throws Exception {
        var body = Webhooks.json()
                .createObjectNode()
                .put("to", user)
                .put("phoneNumberId", E2eStack.PHONE_NUMBER_ID)
                .put("callbackData", "appointment-42");
        var created = api.api("POST", "/v1/calls/outbound", body.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Webhooks.json().readTree(created.body()).path("callId").asText();
    }

    static VoiceCall awaitPhase(String callId, CallPhase phase, Duration bound) {
        try {
            await().atMost(bound)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> stack.call(callId).phase() == phase);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not " + phase + " within " + bound + ": " + stack.describe(callId), e);
        }
        return stack.call(callId);
    }

    static VoiceCall awaitEnd(String callId, Duration bound) {
        try {
            await().atMost(bound)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> stack.call(callId).phase().isTerminal());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not ended within " + bound + ": " + stack.describe(callId), e);
        }
        return stack.call(callId);
    }

    String whatsappCallId(String user) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> whatsapp.callIdOf(user).orElse(null), id -> id != null);
    }

    /** Rings, the user picks up after 1.5 s and hears the greeting; nothing reached it before. */
    private String answered(String user, SyntheticPhone phone) throws Exception {
        phone.startRecording();
        String callId = dial(user);
        VoiceCall ringing = awaitPhase(callId, CallPhase.Ringing, Duration.ofSeconds(45));
        assertThat(ringing.getStatus().getWhatsapp().getPermission().getStatus())
                .isEqualTo("temporary");
        awaitPhase(callId, CallPhase.Connected, Duration.ofSeconds(45));
        await().atMost(Duration.ofSeconds(15)).until(() -> Hearing.heard(phone.recording(), GREETING_HZ, 440, 500));
        assertThat(phone.mediaDatagramsBeforePickUp())
                .as("no media while it rang")
                .isZero();
        assertThat(whatsapp.failures()).isEmpty();
        return callId;
    }

    @Test
    void answeredAndHungUpByTheBusiness() throws Exception {
        String user = user();
        try (SyntheticPhone phone =
                callee(user, new WhatsAppCallees.Behaviour.Answer(Duration.ofMillis(1500)), false)) {
            String callId = answered(user, phone);
            String waCallId = whatsappCallId(user);
            GraphRequest connect = stack.graph.requests(waCallId).getFirst();
            assertThat(connect.action()).isEqualTo("connect");
            assertThat(CallNames.fromCallbackData(Webhooks.json()
                            .readTree(connect.body())
                            .path("biz_opaque_callback_data")
                            .asText()))
                    .contains(CallNames.forCallId(callId));

            String path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
            assertThat(api.api("DELETE", path, null).statusCode()).isEqualTo(202);
            VoiceCall ended = awaitEnd(callId, Duration.ofSeconds(30));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.ApiHangup);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> stack.graph.succeededActions(waCallId).contains("terminate"));
            assertThat(stack.graph.requests(waCallId))
                    .extracting(GraphRequest::action)
                    .containsExactly("connect", "terminate");
        }
    }

    @Test
    void answeredAndHungUpByTheUserWhileWeServeDtls() throws Exception {
        String user = user();
        try (SyntheticPhone phone = callee(user, new WhatsAppCallees.Behaviour.Answer(Duration.ofMillis(1500)), true)) {
            String callId = answered(user, phone);
            String waCallId = whatsappCallId(user);
            whatsapp.hangUp(waCallId);
            VoiceCall ended = awaitEnd(callId, Duration.ofSeconds(30));
            assertThat(ended.phase()).isEqualTo(CallPhase.Ended);
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.CallerHangup);
            assertThat(stack.graph.requests(waCallId))
                    .as("WhatsApp ended it: nothing to terminate")
                    .extracting(GraphRequest::action)
                    .containsExactly("connect");
        }
    }

    @Test
    void rejected() throws Exception {
        String user = user();
        try (SyntheticPhone phone =
                callee(user, new WhatsAppCallees.Behaviour.Reject(Duration.ofMillis(1500)), false)) {
            String callId = dial(user);
            VoiceCall ended = awaitEnd(callId, Duration.ofSeconds(45));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.Rejected);
            assertThat(phone.mediaDatagramsReceived()).isZero();
            assertThat(stack.graph.requests(whatsappCallId(user)))
                    .extracting(GraphRequest::action)
                    .containsExactly("connect");
        }
    }

    @Test
    void unansweredEndsNoAnswer() throws Exception {
        String user = user();
        // The phone rings longer than the operator's ring timeout (8 s here): we give up and terminate.
        try (SyntheticPhone phone =
                callee(user, new WhatsAppCallees.Behaviour.NoAnswer(Duration.ofSeconds(60)), false)) {
            String callId = dial(user);
            VoiceCall ended = awaitEnd(callId, Duration.ofSeconds(60));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.NoAnswer);
            assertThat(phone.mediaDatagramsReceived()).isZero();
            String waCallId = whatsappCallId(user);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> stack.graph.succeededActions(waCallId).contains("terminate"));
        }
    }

    @Test
    void withoutPermissionNoCallIsPlaced() throws Exception {
        String user = user();
        stack.graph.permission(user, UserPermission.none());
        try (SyntheticPhone phone = callee(user, new WhatsAppCallees.Behaviour.Answer(Duration.ZERO), false)) {
            String callId = dial(user);
            VoiceCall ended = awaitEnd(callId, Duration.ofSeconds(30));
            assertThat(ended.phase()).isEqualTo(CallPhase.Failed);
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.NoCallPermission);
            assertThat(ended.getStatus().getAssignment() == null
                            || ended.getStatus().getAssignment().getWorker() == null)
                    .as("no worker was used")
                    .isTrue();
            assertThat(whatsapp.callIdOf(user)).isEmpty();
        }
    }
}
