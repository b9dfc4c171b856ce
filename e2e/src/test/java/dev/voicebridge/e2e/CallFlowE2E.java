package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One call through the whole system, twice: as WhatsApp places it (signed connect webhook, the
 * operator's pre_accept/accept against the fake Graph API) and through the call API (the client
 * does pre_accept/accept itself and only confirms). The fake model greets in 660 Hz, answers in
 * 440 Hz; the phone speaks in 500 Hz.
 */
@Timeout(300)
class CallFlowE2E {
    static final double GREETING_HZ = 660;
    static final double ANSWER_HZ = 440;
    static final double CALLER_HZ = 500;
    static E2eStack stack;
    static Webhooks whatsapp;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        stack = new E2eStack("CallFlowE2E");
        // Answers long enough (6 s, streamed at 5x real time, played out at real time) for the
        // caller to talk over them.
        stack.realtime.greetWith(ResponseAudio.tone(GREETING_HZ, 800)).respondWith(ResponseAudio.tone(ANSWER_HZ, 6000));
        whatsapp = new Webhooks(stack.signaling);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aWhatsAppCallFromConnectWebhookToCallerHangup() throws Exception {
        String callId = "wacid.e2e-webhook-" + System.nanoTime();
        var hearing = new Hearing();
        var before = ModelEvents.now();
        try (SyntheticPhone phone = stack.phone(callId, recordingPhone())) {
            phone.startRecording();
            assertThat(whatsapp.connect(callId, phone.offer()).statusCode()).isEqualTo(200);

            awaitPhase(callId, CallPhase.Connected, Duration.ofSeconds(45));
            assertThat(phone.isConnected()).isTrue();
            converse(callId, phone, hearing, before);

            assertThat(whatsapp.terminate(callId).statusCode()).isEqualTo(200);
            VoiceCall ended = awaitPhase(callId, CallPhase.Ended, Duration.ofSeconds(30));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.CallerHangup);
            assertFigures(callId);
            // WhatsApp was told pre_accept then accept with the same answer, and nothing else:
            // the caller hung up, so there is nobody to terminate.
            assertThat(stack.graph.requests(callId))
                    .extracting(GraphRequest::action)
                    .containsExactly("pre_accept", "accept");
            assertThat(stack.graph.succeededActions(callId)).containsExactly("pre_accept", "accept");
            CallLogs.assertLifecycle(stack, callId, "15550100180");
        }
    }

    @Test
    void anApiCallFromPostToDelete() throws Exception {
        String callId = "wacid.e2e-api-" + System.nanoTime();
        var hearing = new Hearing();
        var before = ModelEvents.now();
        try (SyntheticPhone phone = stack.phone(callId, recordingPhone())) {
            var body = Webhooks.json()
                    .createObjectNode()
                    .put("callId", callId)
                    .put("sdpOffer", phone.offer())
                    .put("from", "447700900123")
                    .put("to", "15550001906")
                    .put("phoneNumberId", E2eStack.PHONE_NUMBER_ID);
            var created = whatsapp.api("POST", "/v1/calls", body.toString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String answer =
                    Webhooks.json().readTree(created.body()).path("sdpAnswer").asText();
            assertThat(answer).startsWith("v=0\r\n").contains("a=setup:active").endsWith("\r\n");
            // The client did pre_accept/accept with WhatsApp: the phone has the answer, we confirm.
            phone.acceptAnswer(answer);
            phone.startRecording();
            String path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
            assertThat(whatsapp.api("POST", path + "/accepted", "").statusCode())
                    .isEqualTo(204);

            awaitPhase(callId, CallPhase.Connected, Duration.ofSeconds(45));
            converse(callId, phone, hearing, before);

            assertThat(whatsapp.api("DELETE", path, null).statusCode()).isEqualTo(202);
            VoiceCall ended = awaitPhase(callId, CallPhase.Ended, Duration.ofSeconds(30));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.ApiHangup);
            assertFigures(callId);
            var view = Webhooks.json().readTree(whatsapp.api("GET", path, null).body());
            assertThat(view.path("phase").asText()).isEqualTo("Ended");
            assertThat(view.path("media").path("packetsIn").asLong()).isPositive();
            // API mode: the client talks to WhatsApp, the operator never does.
            assertThat(stack.graph.requests(callId)).isEmpty();
            CallLogs.assertLifecycle(stack, callId, "447700900123");
        }
    }

    /** Greeting, a caller turn the model hears and answers, then the caller talking over the answer. */
    private void converse(String callId, SyntheticPhone phone, Hearing hearing, ModelEvents before) {
        var realtime = stack.realtime;
        int speechStarted = before.speechStarted();
        int utterances = before.utterances();
        int truncates = before.truncates();
        int responsesCreated = before.responsesCreated();

        // The greeting: the model was asked to speak first.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> realtime.sent("response.created").size() > responsesCreated);
        awaitHearing(phone, GREETING_HZ, Duration.ofSeconds(5));
        hearing.expect("greeting", phone.recording(), GREETING_HZ, ANSWER_HZ, CALLER_HZ);

        // The caller speaks; the model hears it (its VAD starts and stops, the utterance is 500 Hz).
        int answersBefore = realtime.sent("response.created").size();
        phone.play(PcmSource.of(Signals.tone(CALLER_HZ, 0.3, 1200)));
        await().atMost(Duration.ofSeconds(20)).until(() -> realtime.utterances().size() > utterances);
        assertThat(realtime.sent("input_audio_buffer.speech_started").size()).isGreaterThan(speechStarted);
        short[] utterance = realtime.utterances().getLast();
        assertThat(AudioAnalysis.dominant(utterance, 0, utterance.length, 24_000, CALLER_HZ, ANSWER_HZ, GREETING_HZ)
                        .hz())
                .isEqualTo(CALLER_HZ);

        // The model answers (6 s of 440 Hz); once it is playing, the caller talks over it.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> realtime.sent("response.created").size() > answersBefore);
        // about a second into the answer's playout (Awaitility as a bounded pause)
        await().pollDelay(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2)).until(() -> true);
        phone.play(PcmSource.of(Signals.tone(CALLER_HZ, 0.3, 1000)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> realtime.received("conversation.item.truncate").size() > truncates);
        hearing.expect("answer", phone.recording(), ANSWER_HZ, GREETING_HZ, CALLER_HZ);
        // The worker's periodic writes (every 2 s here) report the turn and the barge-in while the
        // call runs; assertFigures checks the final write at the end carries them too.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            var agent = stack.call(callId).getStatus().getAgent();
            assertThat(agent.getResponses()).isGreaterThanOrEqualTo(1);
            assertThat(agent.getInterruptions()).isGreaterThanOrEqualTo(1);
        });
    }

    /** Counts of the fake model's events before a call, shared by every call of the class. */
    record ModelEvents(int speechStarted, int utterances, int truncates, int responsesCreated) {
        static ModelEvents now() {
            var realtime = stack.realtime;
            return new ModelEvents(
                    realtime.sent("input_audio_buffer.speech_started").size(),
                    realtime.utterances().size(),
                    realtime.received("conversation.item.truncate").size(),
                    realtime.sent("response.created").size());
        }
    }

    /** Waits a bounded time for the phone to hear a tone; the verdict is {@link Hearing#expect}'s. */
    private static void awaitHearing(SyntheticPhone phone, double hz, Duration bound) {
        try {
            await().atMost(bound).until(() -> Hearing.heard(phone.recording(), hz, GREETING_HZ, ANSWER_HZ, CALLER_HZ));
        } catch (org.awaitility.core.ConditionTimeoutException notHeard) {
            // judged by Hearing.expect
        }
    }

    private static void assertFigures(String callId) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            var status = stack.call(callId).getStatus();
            assertThat(status.getMedia().getPacketsIn()).isPositive();
            assertThat(status.getMedia().getPacketsOut()).isPositive();
            assertThat(status.getMedia().getDtlsState()).isNotBlank();
            assertThat(status.getTimestamps().getSetupMillis()).isPositive();
            assertThat(status.getAgent().getResponses()).isGreaterThanOrEqualTo(1);
            assertThat(status.getAgent().getInterruptions()).isGreaterThanOrEqualTo(1);
        });
        var status = stack.call(callId).getStatus();
        // one condition per type: status writes replace lists, as merge patches do on a real API server
        assertThat(status.getConditions())
                .extracting(io.fabric8.kubernetes.api.model.Condition::getType)
                .doesNotHaveDuplicates()
                .contains("Assigned", "Answered", "MediaConnected", "Ended");
        System.out.printf(
                "e2e %s: setup %d ms, ice %s ms, dtls %s ms, packets in/out %d/%d, loss %s %%, jitter %s ms,"
                        + " responses %d, barge-ins %d, response latency %s ms%n",
                callId,
                status.getTimestamps().getSetupMillis(),
                status.getMedia().getIceMillis(),
                status.getMedia().getDtlsMillis(),
                status.getMedia().getPacketsIn(),
                status.getMedia().getPacketsOut(),
                status.getMedia().getLossPercent(),
                status.getMedia().getJitterMillis(),
                status.getAgent().getResponses(),
                status.getAgent().getInterruptions(),
                status.getAgent().getLastResponseLatencyMillis());
    }

    static PhoneOptions recordingPhone() {
        return new PhoneOptions(null, PcmSource.silence(), 40, false);
    }

    static VoiceCall awaitPhase(String callId, CallPhase phase, Duration bound) {
        try {
            await().atMost(bound)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> stack.call(callId).phase() == phase);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not " + phase + " within " + bound + ": " + stack.describe(callId), e);
        }
        return stack.call(callId);
    }
}
