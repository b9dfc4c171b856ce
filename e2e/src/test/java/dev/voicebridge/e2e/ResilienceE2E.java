package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The system under stress and failure, on one stack (started once; the worker kill comes last
 * because it leaves one worker): 20 concurrent calls across both workers, the operator restarted
 * in the middle of a call's setup, and a worker dying under a call.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceE2E {
    static final int CONCURRENT_CALLS = 20;
    static E2eStack stack;
    static Webhooks whatsapp;

    @BeforeAll
    static void start() throws Exception {
        TestNetwork.requireNamespace();
        stack = new E2eStack("ResilienceE2E");
        stack.addEchoAgent("echo");
        whatsapp = new Webhooks(stack.signaling);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * 20 API calls at once to the embedded echo agent, each phone saying its own tone: every call
     * connects, both workers carry calls, every agent echoes its caller, and each phone hears its
     * own tone back, never another call's.
     */
    @Test
    @Order(1)
    void twentyConcurrentCallsEachHearOnlyTheirOwnAgent() throws Exception {
        double[] tones = new double[CONCURRENT_CALLS];
        for (int i = 0; i < CONCURRENT_CALLS; i++) {
            tones[i] = 350 + 70 * i;
        }
        String run = Long.toString(System.nanoTime());
        List<SyntheticPhone> phones = new ArrayList<>();
        List<String> callIds = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> created = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_CALLS; i++) {
                String callId = "wacid.e2e-load-" + run + "-" + i;
                SyntheticPhone phone = stack.phone(callId, new PhoneOptions(null, PcmSource.silence(), 20, false));
                phones.add(phone);
                callIds.add(callId);
                created.add(pool.submit(() -> placeApiCall(callId, phone, "echo")));
            }
            for (Future<Integer> f : created) {
                assertThat(f.get()).isEqualTo(204);
            }
        }
        try {
            for (String callId : callIds) {
                awaitPhase(callId, CallPhase.Connected, Duration.ofSeconds(60));
            }
            Set<String> workers = new java.util.HashSet<>();
            for (String callId : callIds) {
                workers.add(stack.call(callId).getStatus().getAssignment().getWorker());
            }
            assertThat(workers).containsExactlyInAnyOrderElementsOf(E2eStack.WORKERS);

            for (int i = 0; i < CONCURRENT_CALLS; i++) {
                phones.get(i).startRecording();
                phones.get(i).play(PcmSource.of(Signals.tone(tones[i], 0.3, 1500)));
            }
            // Every agent echoed its caller (the worker logs and reports the echo as a transcript line).
            await().atMost(Duration.ofSeconds(45)).ignoreExceptions().untilAsserted(() -> {
                for (String callId : callIds) {
                    assertThat(stack.call(callId).getStatus().getAgent().getTranscript())
                            .as(callId)
                            .anySatisfy(line -> assertThat(line.getText()).startsWith("[echo"));
                }
            });
            var hearing = new Hearing();
            for (int i = 0; i < CONCURRENT_CALLS; i++) {
                double[] others = othersThan(tones, i);
                hearing.expect(
                        "call " + i + " hears its own " + tones[i] + " Hz",
                        phones.get(i).recording(),
                        tones[i],
                        others);
            }
            for (String callId : callIds) {
                assertThat(whatsapp.api("DELETE", "/v1/calls/" + callId, null).statusCode())
                        .isEqualTo(202);
            }
            for (String callId : callIds) {
                VoiceCall ended = awaitPhase(callId, CallPhase.Ended, Duration.ofSeconds(30));
                assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.ApiHangup);
                assertThat(ended.getStatus().getMedia().getPacketsIn()).isPositive();
            }
        } finally {
            phones.forEach(SyntheticPhone::close);
        }
    }

    /**
     * The operator goes away after pre_accept, before accept; the phone sets up its media with the
     * worker meanwhile. A new operator process picks the call up from its status: it sends accept
     * (the worker's DTLS is up) and never repeats pre_accept.
     */
    @Test
    @Order(2)
    void theOperatorRestartedDuringSetup() throws Exception {
        String callId = "wacid.e2e-operator-restart-" + System.nanoTime();
        stack.hold(callId);
        try (SyntheticPhone phone = stack.phone(callId, PhoneOptions.defaults())) {
            assertThat(whatsapp.connect(callId, phone.offer()).statusCode()).isEqualTo(200);
            // Stop once pre_accept is recorded as completed: a crash between WhatsApp's 200 and that
            // record is the one window where a retry is unavoidable (at-least-once; RestartIT covers
            // it), not what this test is about.
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> stack.call(callId)
                                    .getStatus()
                                    .getWhatsapp()
                                    .getPreAccept()
                                    .getCompletedAt()
                            != null);

            // The operator goes down between pre_accept and accept; meanwhile the phone sets up its
            // media (ICE, DTLS) with the worker; then a new operator process comes up.
            stack.stop("operator");
            stack.release(callId);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "Connected"
                    .equals(stack.call(callId).getStatus().getMedia().getDtlsState()));
            assertThat(stack.graph.requests(callId))
                    .extracting(GraphRequest::action)
                    .containsExactly("pre_accept");
            stack.start("operator");

            awaitPhase(callId, CallPhase.Connected, Duration.ofSeconds(45));
            assertThat(whatsapp.terminate(callId).statusCode()).isEqualTo(200);
            VoiceCall ended = awaitPhase(callId, CallPhase.Ended, Duration.ofSeconds(30));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.CallerHangup);
            assertThat(stack.graph.requests(callId))
                    .extracting(GraphRequest::action)
                    .containsExactly("pre_accept", "accept");
        }
    }

    /**
     * Two calls, one on each worker; one worker dies. Its call ends WorkerLost and WhatsApp is told
     * (terminate); the other call keeps its media and its agent, and ends normally later.
     */
    @Test
    @Order(3)
    void aWorkerKilledMidCall() throws Exception {
        String first = "wacid.e2e-lost-" + System.nanoTime();
        String second = "wacid.e2e-survivor-" + System.nanoTime();
        try (SyntheticPhone lost = stack.phone(first, PhoneOptions.defaults());
                SyntheticPhone survivor = stack.phone(second, PhoneOptions.defaults())) {
            assertThat(whatsapp.connect(first, lost.offer()).statusCode()).isEqualTo(200);
            awaitPhase(first, CallPhase.Connected, Duration.ofSeconds(45));
            assertThat(whatsapp.connect(second, survivor.offer()).statusCode()).isEqualTo(200);
            awaitPhase(second, CallPhase.Connected, Duration.ofSeconds(45));
            String dying = stack.call(first).getStatus().getAssignment().getWorker();
            String staying = stack.call(second).getStatus().getAssignment().getWorker();
            assertThat(staying)
                    .as("the operator spreads calls over idle workers")
                    .isNotEqualTo(dying);

            stack.killWorker(dying);

            VoiceCall ended = awaitEnd(first, Duration.ofSeconds(45));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.WorkerLost);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stack.graph.succeededActions(first).contains("terminate"));
            assertThat(stack.graph.requests(first))
                    .extracting(GraphRequest::action)
                    .containsExactly("pre_accept", "accept", "terminate");

            // The survivor still talks: media flows both ways and its model hears the caller.
            assertThat(stack.call(second).phase()).isEqualTo(CallPhase.Connected);
            long heardBefore = survivor.stats().rtpReceived();
            int utterances = stack.realtime.utterances().size();
            survivor.play(PcmSource.of(Signals.tone(500, 0.3, 1200)));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stack.realtime.utterances().size() > utterances
                            && survivor.stats().rtpReceived() > heardBefore + 50);

            assertThat(whatsapp.terminate(second).statusCode()).isEqualTo(200);
            VoiceCall survived = awaitPhase(second, CallPhase.Ended, Duration.ofSeconds(30));
            assertThat(survived.getStatus().getEnd().getReason()).isEqualTo(EndReason.CallerHangup);
            assertThat(stack.graph.requests(second))
                    .extracting(GraphRequest::action)
                    .containsExactly("pre_accept", "accept");
        }
    }

    /**
     * Kubernetes deletes a worker with a call running (a rollout): its Pod gets a deletion deadline
     * and turns not ready, then SIGTERM. The worker keeps the call past the operator's worker-lost
     * grace (2 s here) until its drain timeout (5 s here), then ends it WorkerShutdown; WhatsApp is
     * told. The worker writes nothing to its Pod: the operator reads the drain from the deletion.
     */
    @Test
    @Order(4)
    void aDrainingWorkerFinishesThenEndsItsCallsWithWorkerShutdown() throws Exception {
        String callId = "wacid.e2e-drain-" + System.nanoTime();
        try (SyntheticPhone phone = stack.phone(callId, PhoneOptions.defaults())) {
            assertThat(whatsapp.connect(callId, phone.offer()).statusCode()).isEqualTo(200);
            awaitPhase(callId, CallPhase.Connected, Duration.ofSeconds(45));
            String worker = stack.call(callId).getStatus().getAssignment().getWorker();

            stack.markWorkerPodDeleted(worker, Duration.ofSeconds(60));
            Thread sigterm = Thread.ofVirtual().start(() -> {
                try {
                    stack.stop(worker);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> stack.call(callId).phase() == CallPhase.Connected);

            VoiceCall ended = awaitEnd(callId, Duration.ofSeconds(45));
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.WorkerShutdown);
            assertThat(ended.getStatus().getEnd().getBy()).isEqualTo("media-worker/" + worker);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stack.graph.succeededActions(callId).contains("terminate"));
            sigterm.join(Duration.ofSeconds(30));
        }
    }

    private static int placeApiCall(String callId, SyntheticPhone phone, String agent) throws Exception {
        var body = Webhooks.json()
                .createObjectNode()
                .put("callId", callId)
                .put("sdpOffer", phone.offer())
                .put("from", "447700900123")
                .put("to", "15550001906")
                .put("agent", agent);
        var created = whatsapp.api("POST", "/v1/calls", body.toString());
        if (created.statusCode() != 201) {
            throw new AssertionError(callId + ": " + created.statusCode() + " " + created.body());
        }
        phone.acceptAnswer(
                Webhooks.json().readTree(created.body()).path("sdpAnswer").asText());
        return whatsapp.api("POST", "/v1/calls/" + callId + "/accepted", "").statusCode();
    }

    private static double[] othersThan(double[] tones, int i) {
        double[] others = new double[tones.length - 1];
        for (int j = 0, k = 0; j < tones.length; j++) {
            if (j != i) {
                others[k++] = tones[j];
            }
        }
        return others;
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

    static VoiceCall awaitEnd(String callId, Duration bound) {
        var terminal = EnumSet.of(CallPhase.Ended, CallPhase.Failed);
        await().atMost(bound)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> terminal.contains(stack.call(callId).phase()));
        return stack.call(callId);
    }
}
