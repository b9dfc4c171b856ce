package dev.voicebridge.worker.calls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppAction;
import dev.voicebridge.api.v1alpha1.WhatsAppStatus;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.worker.telemetry.CallTrace;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker's Kubernetes side against the in-memory Kubernetes API, with a recording engine in place
 * of the media and agent planes.
 */
@ExtendWith(KubeApiExtension.class)
class AssignedCallsIT {
    static final String NS = "calls";
    static final String POD = "media-worker-0";

    KubernetesClient client;
    InMemoryKubeApi kube;
    RecordingEngine engine = new RecordingEngine();
    AssignedCalls assigned;
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    WorkerTelemetry telemetry = WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(spans));

    @BeforeEach
    void start() {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("openai")
                        .withNamespace(NS)
                        .endMetadata()
                        .addToData("api-key", Base64.getEncoder().encodeToString("sk-test-123\n".getBytes(UTF_8)))
                        .build())
                .create();
        var key = new SecretKeyRef();
        key.setName("openai");
        key.setKey("api-key");
        var spec = new VoiceAgentSpec();
        spec.setPhoneNumberIds(List.of("1065"));
        spec.setOpenaiApiKeySecret(key);
        spec.setMaxCallDurationSeconds(1800);
        var agent = new VoiceAgent(spec);
        agent.setMetadata(
                new ObjectMetaBuilder().withName("reception").withNamespace(NS).build());
        client.resource(agent).create();

        assigned = new AssignedCalls(
                client,
                engine,
                new AssignedCalls.Settings(POD, NS, Duration.ofSeconds(1), Duration.ofHours(4)),
                Clock.systemUTC(),
                telemetry.calls());
        assigned.start();
    }

    @AfterEach
    void stop() {
        assigned.close();
        telemetry.close();
    }

    SpanData span(String name) {
        var found = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
        assertThat(found).as("spans named " + name).hasSize(1);
        return found.getFirst();
    }

    VoiceCall create(String callId, AcceptBy acceptBy, String worker) {
        return create(callId, acceptBy, worker, "1065");
    }

    VoiceCall create(String callId, AcceptBy acceptBy, String worker, String phoneNumberId) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(acceptBy);
        spec.setPhoneNumberId(phoneNumberId);
        spec.setSdpOffer("v=0\r\n" + callId + "\r\n");
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace(NS)
                .withLabels(Map.of(Labels.WORKER, worker))
                .build());
        return client.resource(call).create();
    }

    VoiceCall get(String callId) {
        return client.resources(VoiceCall.class)
                .inNamespace(NS)
                .withName(CallNames.forCallId(callId))
                .get();
    }

    void patchStatus(String callId, VoiceCall patch) {
        client.resources(VoiceCall.class)
                .inNamespace(NS)
                .withName(CallNames.forCallId(callId))
                .patchStatus(patch);
    }

    @Test
    void answersItsOwnCallsWithTheAgentAndKeyResolved() {
        create("wacid.own", AcceptBy.bridge, POD);
        create("wacid.other", AcceptBy.bridge, "media-worker-1");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        get("wacid.own").getStatus().getMedia().getSdpAnswer())
                .isEqualTo("answer-for-wacid.own"));
        var setup = engine.setups.get(CallNames.forCallId("wacid.own"));
        assertThat(setup.openAiApiKey()).contains("sk-test-123");
        assertThat(setup.sdpOffer()).contains("wacid.own");
        assertThat(setup.toString()).doesNotContain("sk-test");
        assertThat(setup.maxDuration()).isEqualTo(Duration.ofMinutes(30)); // the agent's limit
        assertThat(engine.setups).doesNotContainKey(CallNames.forCallId("wacid.other"));
        assertThat(get("wacid.other").getStatus()).isNull();
    }

    private void createAgent(String name, String phone, VoiceAgentSpec spec) {
        spec.setPhoneNumberIds(List.of(phone));
        var agent = new VoiceAgent(spec);
        agent.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        client.resource(agent).create();
    }

    @Test
    void anInvalidAgentsCallsEndWithAgentInvalidBeforeAnythingIsAnswered() {
        var wrongModel = new VoiceAgentSpec();
        wrongModel.setApi("live");
        wrongModel.setModel("gpt-realtime-2.1");
        createAgent("wrong-model", "2001", wrongModel);
        var missing = new SecretKeyRef();
        missing.setName("openai-typo");
        missing.setKey("api-key");
        var missingSecret = new VoiceAgentSpec();
        missingSecret.setOpenaiApiKeySecret(missing);
        createAgent("missing-secret", "2002", missingSecret);

        create("wacid.invalid-model", AcceptBy.bridge, POD, "2001");
        create("wacid.invalid-secret", AcceptBy.bridge, POD, "2002");

        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var end = get("wacid.invalid-model").getStatus().getEnd();
            assertThat(end.getReason()).isEqualTo(EndReason.AgentInvalid);
            assertThat(end.getMessage())
                    .isEqualTo("VoiceAgent wrong-model is invalid (ModelNotInApi): model 'gpt-realtime-2.1' does"
                            + " not belong to api live (it is a model of api realtime); live models: gpt-live-1,"
                            + " gpt-live-1.1");
        });
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var end = get("wacid.invalid-secret").getStatus().getEnd();
            assertThat(end.getReason()).isEqualTo(EndReason.AgentInvalid);
            assertThat(end.getMessage()).endsWith("openaiApiKeySecret: Secret 'openai-typo' does not exist");
        });
        assertThat(engine.setups).isEmpty(); // nothing was started: no answer, no model session
    }

    @Test
    void aCallsOwnLimitWinsOverItsAgents() {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.short");
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setPhoneNumberId("1065");
        spec.setSdpOffer("v=0\r\n");
        spec.setMaxDurationSeconds(60);
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId("wacid.short"))
                .withNamespace(NS)
                .withLabels(Map.of(Labels.WORKER, POD))
                .build());
        client.resource(call).create();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.setups.containsKey(CallNames.forCallId("wacid.short")));
        assertThat(engine.setups.get(CallNames.forCallId("wacid.short")).maxDuration())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void bridgeModeStartsMediaOnlyOnceWhatsAppAccepted() {
        create("wacid.accept", AcceptBy.bridge, POD);
        String name = CallNames.forCallId("wacid.accept");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        var call = engine.running.get(name);
        call.observer.mediaConnected();
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        get("wacid.accept").getStatus().getMedia().getDtlsState())
                .isEqualTo("Connected"));
        assertThat(call.accepted).isFalse();

        var accept = new WhatsAppAction();
        accept.setCompletedAt("2026-11-21T09:00:00Z");
        var whatsapp = new WhatsAppStatus();
        whatsapp.setAccept(accept);
        var patch = new VoiceCall();
        patch.statusOrNew().setWhatsapp(whatsapp);
        patchStatus("wacid.accept", patch);
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilTrue(call.acceptedFlag);
        // Traced from the answer write to the accept, under the call's (still open) span.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> spans.getFinishedSpanItems().size() == 1);
        assertThat(span("accept").getParentSpanId())
                .isEqualTo(call.setup.trace().context().getSpanId());
        assertThat(span("accept").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void apiModeStartsMediaOnlyOnTheAcceptedAnnotationNeverOnDtls() {
        create("wacid.api", AcceptBy.caller, POD);
        String name = CallNames.forCallId("wacid.api");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        var call = engine.running.get(name);
        call.observer.mediaConnected();
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        get("wacid.api").getStatus().getMedia().getDtlsState())
                .isEqualTo("Connected"));
        // WhatsApp takes the first media packet as the answer: DTLS up is not an accept.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !call.acceptedFlag.get());

        client.resources(VoiceCall.class)
                .inNamespace(NS)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + Labels.ACCEPTED_ANNOTATION
                                + "\":\"2026-11-21T09:00:00Z\"}}}");
        await().atMost(Duration.ofSeconds(5)).untilTrue(call.acceptedFlag);
    }

    @Test
    void mediaModeStartsMediaOnTheCallersFirstAuthenticatedMediaNeverOnDtls() {
        create("wacid.media", AcceptBy.media, POD);
        String name = CallNames.forCallId("wacid.media");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        var call = engine.running.get(name);
        call.observer.mediaConnected();
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        get("wacid.media").getStatus().getMedia().getDtlsState())
                .isEqualTo("Connected"));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !call.acceptedFlag.get());

        call.observer.callerMedia();
        await().atMost(Duration.ofSeconds(5)).untilTrue(call.acceptedFlag);
    }

    @Test
    void callerMediaIsNoAcceptOutsideMediaMode() {
        create("wacid.early-media", AcceptBy.caller, POD);
        String name = CallNames.forCallId("wacid.early-media");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        var call = engine.running.get(name);
        call.observer.mediaConnected();
        call.observer.callerMedia();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !call.acceptedFlag.get());
    }

    @Test
    void hangupRequestEndsTheCallWithFinalFiguresAndTheReason() {
        create("wacid.bye", AcceptBy.bridge, POD);
        String name = CallNames.forCallId("wacid.bye");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));

        hangUp("wacid.bye", EndReason.CallerHangup);

        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var end = get("wacid.bye").getStatus().getEnd();
            assertThat(end).isNotNull();
            assertThat(end.getReason()).isEqualTo(EndReason.CallerHangup);
            assertThat(end.getBy()).isEqualTo("media-worker/" + POD);
        });
        var status = get("wacid.bye").getStatus();
        assertThat(status.getMedia().getPacketsIn()).isPositive();
        assertThat(status.getMedia().getSdpAnswer()).isEqualTo("answer-for-wacid.bye");
        assertThat(status.getAgent().getResponses()).isEqualTo(3);
        assertThat(assigned.activeCalls()).isZero();
        var call = span("call");
        assertThat(call.getAttributes().get(CallTrace.END_REASON)).isEqualTo("CallerHangup");
        assertThat(call.getAttributes().get(CallTrace.CALL_NAME)).isEqualTo(name);
        // Never accepted: the accept phase ended with the call.
        assertThat(span("accept").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void unservableOfferEndsWithTheEnginesReason() {
        engine.refuse = true;
        create("wacid.bad", AcceptBy.bridge, POD);
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var end = get("wacid.bad").getStatus().getEnd();
            assertThat(end.getReason()).isEqualTo(EndReason.InvalidOffer);
            assertThat(end.getMessage()).contains("no Opus");
        });
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(span("call").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
        assertThat(span("call").getAttributes().get(CallTrace.END_REASON)).isEqualTo("InvalidOffer");
    }

    @Test
    void aCallThatEndsByItselfKeepsItsOwnReason() {
        // The final media write (with our SDP answer) reaches the informer before the end does;
        // it must not read as "answered before a restart". Several calls make the race likely.
        List<String> ids = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> "wacid.ice-" + i)
                .toList();
        ids.forEach(id -> create(id, AcceptBy.bridge, POD));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ids.stream().allMatch(id -> engine.running.containsKey(CallNames.forCallId(id))));
        ids.forEach(id -> engine.running
                .get(CallNames.forCallId(id))
                .observer
                .ended(EndReason.IceFailed, "ICE CHECKS_TIMED_OUT"));
        for (String id : ids) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            get(id).getStatus().getEnd().getReason())
                    .as(id)
                    .isEqualTo(EndReason.IceFailed));
        }
    }

    /** An inbound call we answered, or (outbound) one we offered: either way its media died with us. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void callAnsweredBeforeARestartEndsAsWorkerLost(boolean offered) {
        var call = create("wacid.restart", AcceptBy.bridge, "media-worker-9");
        var media = new MediaStatus();
        media.setAttempt(1);
        if (offered) {
            media.setSdpOffer("v=0\r\n");
        } else {
            media.setSdpAnswer("v=0\r\n");
        }
        var assignment = new dev.voicebridge.api.v1alpha1.Assignment();
        assignment.setWorker("media-worker-9");
        assignment.setAttempt(1);
        var patch = new VoiceCall();
        patch.statusOrNew().setMedia(media);
        patch.getStatus().setAssignment(assignment);
        patch.getStatus().setPhase(CallPhase.Connected);
        patchStatus("wacid.restart", patch);
        // Now it is (re)labelled to us, as after this worker restarted under the same pod name.
        call = get("wacid.restart");
        call.getMetadata().getLabels().put(Labels.WORKER, POD);
        client.resource(call).update();

        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        get("wacid.restart").getStatus().getEnd().getReason())
                .isEqualTo(EndReason.WorkerLost));
        assertThat(engine.setups).doesNotContainKey(CallNames.forCallId("wacid.restart"));
    }

    @Test
    void aCallReplacedToUsIsAnsweredAfreshOverTheLostWorkersMedia() {
        var call = create("wacid.moved", AcceptBy.bridge, "media-worker-9");
        var old = new MediaStatus();
        old.setAttempt(1);
        old.setSdpAnswer("v=0\r\nlost\r\n");
        old.setPacketsIn(42L);
        var assignment = new dev.voicebridge.api.v1alpha1.Assignment();
        assignment.setWorker(POD);
        assignment.setAttempt(2);
        var patch = new VoiceCall();
        patch.statusOrNew().setMedia(old);
        patch.getStatus().setAssignment(assignment);
        patch.getStatus().setPhase(CallPhase.Assigned);
        patchStatus("wacid.moved", patch);
        call = get("wacid.moved");
        call.getMetadata().getLabels().put(Labels.WORKER, POD);
        client.resource(call).update();

        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var media = get("wacid.moved").getStatus().getMedia();
            assertThat(media.getSdpAnswer()).isEqualTo("answer-for-wacid.moved");
            assertThat(media.getAttempt()).isEqualTo(2);
        });
        // The answer write replaced the part whole: nothing of attempt 1's worker is left.
        assertThat(get("wacid.moved").getStatus().getMedia().getPacketsIn()).isNotEqualTo((Object) 42L);
        assertThat(get("wacid.moved").getStatus().getEnd()).isNull();
    }

    @Test
    void periodicStatsAreWrittenWhileTheCallRuns() {
        create("wacid.stats", AcceptBy.bridge, POD);
        String name = CallNames.forCallId("wacid.stats");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        long before = engine.running.get(name).packets.get();
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var media = get("wacid.stats").getStatus().getMedia();
            assertThat(media.getPacketsIn()).isGreaterThan(before);
            assertThat(media.getUpdatedAt()).isNotNull();
        });
    }

    @Test
    void drainingWorkerTakesNoNewCalls() {
        assigned.startDraining();
        create("wacid.drain", AcceptBy.bridge, POD);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> !engine.setups.containsKey(CallNames.forCallId("wacid.drain")));
    }

    /** As the call API does it: a merge patch, which never conflicts with the worker's status writes. */
    void hangUp(String callId) {
        hangUp(callId, EndReason.ApiHangup);
    }

    void hangUp(String callId, EndReason reason) {
        client.resources(VoiceCall.class)
                .inNamespace(NS)
                .withName(CallNames.forCallId(callId))
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"hangup\":{\"reason\":\"" + reason.name() + "\"}}}");
    }

    @Test
    void reportsEachEndedCallsFinalMediaOnceAndTheDeepestRunningJitterBuffer() {
        List<MediaStatus> finals = new CopyOnWriteArrayList<>();
        assigned.onFinalMedia(finals::add);
        create("wacid.shallow", AcceptBy.bridge, POD);
        create("wacid.deep", AcceptBy.bridge, POD);
        String shallow = CallNames.forCallId("wacid.shallow");
        String deep = CallNames.forCallId("wacid.deep");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.running.containsKey(shallow) && engine.running.containsKey(deep));
        engine.running.get(shallow).jitterBufferMillis = 40;
        engine.running.get(deep).jitterBufferMillis = 120;
        // Read from the periodic snapshots (1 s interval here, plus a spread of up to 1 s). Each
        // call's snapshot comes on its own schedule: wait until both calls have written one with
        // their depth (the gauge reads the same snapshot the write carries), not just the deeper.
        await().ignoreExceptions()
                .atMost(Duration.ofSeconds(5))
                .until(() -> get("wacid.shallow").getStatus().getMedia().getJitterBufferMillis() == 40
                        && get("wacid.deep").getStatus().getMedia().getJitterBufferMillis() == 120);
        assertThat(assigned.maxJitterBufferMillis()).isEqualTo(120);

        hangUp("wacid.deep");
        await().ignoreExceptions()
                .atMost(Duration.ofSeconds(5))
                .until(() -> get("wacid.deep").getStatus().getEnd() != null);
        // An ended call leaves the gauge at once; its final figures were reported once.
        assertThat(assigned.maxJitterBufferMillis()).isEqualTo(40);
        assertThat(finals).hasSize(1);
        assertThat(finals.getFirst().getJitterBufferMillis()).isEqualTo(120);
        assertThat(finals.getFirst().getPacketsIn()).isPositive();

        hangUp("wacid.shallow");
        await().atMost(Duration.ofSeconds(5)).until(() -> finals.size() == 2);
        assertThat(finals.get(1).getJitterBufferMillis()).isEqualTo(40);
        // Later periodic ticks and the informer's echo of the end report nothing more.
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(4))
                .until(() -> finals.size() == 2 && assigned.maxJitterBufferMillis() == 0);
    }

    /** Who ends a call behind the worker's back, and how. */
    enum EndedElsewhere {
        /** The operator wrote status.end (e.g. it saw WhatsApp's terminate or a timeout). */
        OPERATOR_END,
        /** A terminal phase without an end the worker could read a reason from. */
        TERMINAL_PHASE,
        /** Someone set spec.hangup (the call API, the signaling service). */
        HANGUP_REQUEST
    }

    @ParameterizedTest
    @EnumSource(EndedElsewhere.class)
    void aCallEndedElsewhereIsStoppedWithinASecondEvenIfTheFirstStopIsLost(EndedElsewhere how) {
        String callId = "wacid.lost-stop-" + how.ordinal();
        create(callId, AcceptBy.bridge, POD);
        String name = CallNames.forCallId(callId);
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        var call = engine.running.get(name);
        call.loseHangups.set(1); // as if a flood had swallowed the first one

        switch (how) {
            case OPERATOR_END -> {
                var end = new CallEnd();
                end.setReason(EndReason.CallerHangup);
                end.setBy("operator");
                end.setAt("2026-11-21T09:00:00Z");
                var patch = new VoiceCall();
                patch.statusOrNew().setEnd(end);
                patch.getStatus().setPhase(CallPhase.Ended);
                patchStatus(callId, patch);
            }
            case TERMINAL_PHASE -> {
                var patch = new VoiceCall();
                patch.statusOrNew().setPhase(CallPhase.Failed);
                patchStatus(callId, patch);
            }
            case HANGUP_REQUEST -> hangUp(callId);
        }
        // The informer's event reached the worker when it first asked the engine to stop.
        await().atMost(Duration.ofSeconds(10)).until(() -> !call.hangupNanos.isEmpty());
        long seenAt = call.hangupNanos.getFirst();
        await().atMost(Duration.ofSeconds(5)).until(() -> call.endedNanos.get() != 0);
        assertThat(Duration.ofNanos(call.endedNanos.get() - seenAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(call.hangups).hasSizeGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> assigned.activeCalls() == 0);
    }

    @Test
    void theWorkersOwnMaximumDurationEndsACallWithAClearReason() {
        String pod = "media-worker-short";
        try (var shortCalls = new AssignedCalls(
                client,
                engine,
                new AssignedCalls.Settings(pod, NS, Duration.ofSeconds(1), Duration.ofMillis(1500)),
                Clock.systemUTC(),
                telemetry.calls())) {
            shortCalls.start();
            create("wacid.long", AcceptBy.bridge, pod);
            String name = CallNames.forCallId("wacid.long");
            await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
            long startedAt = System.nanoTime();

            await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var end = get("wacid.long").getStatus().getEnd();
                assertThat(end.getReason()).isEqualTo(EndReason.MaxDuration);
                assertThat(end.getMessage()).isEqualTo("the media worker's maximum call duration (PT1.5S) was reached");
                assertThat(end.getBy()).isEqualTo("media-worker/" + pod);
            });
            assertThat(engine.running.get(name).hangups).containsExactly(EndReason.MaxDuration);
            assertThat(Duration.ofNanos(engine.running.get(name).endedNanos.get() - startedAt))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void theFinalStatusIsRetriedUntilKubernetesTakesIt() {
        // The client's own retries (5xx and 429, a bounded number) are used up: what is left is ours.
        String pod = "media-worker-flaky";
        try (var plainClient = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder(client.getConfiguration())
                                .withRequestRetryBackoffLimit(0)
                                .build())
                        .build();
                var flaky = new AssignedCalls(
                        plainClient,
                        engine,
                        new AssignedCalls.Settings(pod, NS, Duration.ofSeconds(30), Duration.ofHours(4)),
                        Clock.systemUTC(),
                        telemetry.calls())) {
            flaky.start();
            create("wacid.flaky-api", AcceptBy.bridge, pod);
            String name = CallNames.forCallId("wacid.flaky-api");
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> get("wacid.flaky-api").getStatus().getMedia().getSdpAnswer() != null);
            // The API server refuses the next status writes (overloaded, or restarting).
            kube.respond(
                    "PATCH",
                    "/apis/voicebridge.dev/v1alpha1/namespaces/" + NS + "/voicecalls/" + name + "/status",
                    503,
                    "{\"kind\":\"Status\",\"code\":503}",
                    4);
            engine.running.get(name).observer.ended(EndReason.IceFailed, "ICE CHECKS_TIMED_OUT");

            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var status = get("wacid.flaky-api").getStatus();
                assertThat(status.getEnd().getReason()).isEqualTo(EndReason.IceFailed);
                assertThat(status.getEnd().getBy()).isEqualTo("media-worker/" + pod);
                assertThat(status.getMedia().getSdpAnswer()).isEqualTo("answer-for-wacid.flaky-api");
                assertThat(status.getMedia().getUpdatedAt()).isNotNull(); // only the final write sets it here
            });
            assertThat(flaky.statusWriteFailures()).isPositive();
        }
    }

    @Test
    void theFinalStatusStopsRetryingOnceTheVoiceCallIsGone() {
        create("wacid.deleted", AcceptBy.bridge, POD);
        String name = CallNames.forCallId("wacid.deleted");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> engine.running.containsKey(name));
        client.resources(VoiceCall.class).inNamespace(NS).withName(name).delete();

        await().atMost(Duration.ofSeconds(5)).until(() -> assigned.activeCalls() == 0);
        assertThat(engine.running.get(name).hangups).containsExactly(EndReason.ApiHangup);
        // Nothing left to write to: the worker gives up at once instead of retrying forever.
        long failures = assigned.statusWriteFailures();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> assigned.statusWriteFailures() - failures <= 1);
        assertThat(get("wacid.deleted")).isNull();
    }

    /** Records what the worker asks and plays the media/agent planes' side of the contract. */
    static final class RecordingEngine implements CallEngine {
        final Map<String, CallSetup> setups = new ConcurrentHashMap<>();
        final Map<String, FakeCall> running = new ConcurrentHashMap<>();
        volatile boolean refuse;

        @Override
        public RunningCall start(CallSetup setup, CallObserver observer) throws CallSetupException {
            setups.put(setup.name(), setup);
            if (refuse) {
                throw new CallSetupException(EndReason.InvalidOffer, "the offer has no Opus payload type");
            }
            var call = new FakeCall(setup, observer);
            running.put(setup.name(), call);
            return call;
        }
    }

    static final class FakeCall implements CallEngine.RunningCall {
        final CallEngine.CallSetup setup;
        final CallEngine.CallObserver observer;
        final AtomicBoolean acceptedFlag = new AtomicBoolean();
        final AtomicLong packets = new AtomicLong(1);
        final List<EndReason> hangups = new CopyOnWriteArrayList<>();
        final List<Long> hangupNanos = new CopyOnWriteArrayList<>();
        /** Hang-ups to ignore, as if they never arrived. */
        final AtomicInteger loseHangups = new AtomicInteger();

        final AtomicLong endedNanos = new AtomicLong();
        volatile boolean accepted;
        volatile boolean connected;
        volatile Integer jitterBufferMillis;

        FakeCall(CallEngine.CallSetup setup, CallEngine.CallObserver observer) {
            this.setup = setup;
            this.observer = observer;
        }

        @Override
        public String sdpAnswer() {
            return "answer-for-" + setup.callId();
        }

        @Override
        public void accepted(java.time.Instant at) {
            accepted = true;
            acceptedFlag.set(true);
        }

        @Override
        public void hangup(EndReason reason, String message) {
            hangups.add(reason);
            hangupNanos.add(System.nanoTime());
            if (loseHangups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return;
            }
            if (endedNanos.compareAndSet(0, System.nanoTime())) {
                observer.ended(reason, Optional.ofNullable(message).orElse("hung up"));
            }
        }

        @Override
        public MediaStatus mediaStatus() {
            connected = true;
            var media = new MediaStatus();
            media.setPacketsIn(packets.addAndGet(50));
            media.setDtlsState("Connected");
            media.setJitterBufferMillis(jitterBufferMillis);
            return media;
        }

        @Override
        public AgentStatus agentStatus() {
            var agent = new AgentStatus();
            agent.setResponses(3);
            return agent;
        }
    }
}
