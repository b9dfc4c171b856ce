package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A business-initiated call on a real worker: it writes its offer, takes WhatsApp's answer from
 * spec.sdpAnswer (the phone as the callee, in either DTLS role), keeps media off while the phone
 * rings, and greets once WhatsApp reports ACCEPTED.
 */
@ExtendWith(KubeApiExtension.class)
@Timeout(90)
class OutboundWorkerIT {
    KubernetesClient client;
    WorkerTelemetry telemetry =
            WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()));
    RealWorker worker;

    @BeforeEach
    void start() throws Exception {
        worker = newWorker();
        worker.assigned.start();
    }

    /** The worker under test, not started: the embedded agent answers its calls. */
    RealWorker newWorker() throws Exception {
        return new RealWorker(client, telemetry, prices -> AgentObserver.NONE);
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        telemetry.close();
    }

    VoiceCall outbound(String callId) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.api);
        spec.setDirection(CallDirection.outbound);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setAgentRef("default");
        spec.setCallee("447700900777");
        var resource = new VoiceCall(spec);
        resource.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace(RealWorker.NS)
                .build());
        client.resource(resource).create();
        // Placed as the operator does: the assignment (attempt 1) first, then the worker's label.
        var assignment = new Assignment();
        assignment.setWorker(RealWorker.POD);
        assignment.setAttempt(1);
        var placed = new VoiceCall();
        placed.statusOrNew().setAssignment(assignment);
        client.resources(VoiceCall.class)
                .inNamespace(RealWorker.NS)
                .withName(CallNames.forCallId(callId))
                .patchStatus(placed);
        patch(callId, "{\"metadata\":{\"labels\":{\"" + Labels.WORKER + "\":\"" + RealWorker.POD + "\"}}}");
        return worker.get(callId);
    }

    void patch(String callId, String json) {
        client.resources(VoiceCall.class)
                .inNamespace(RealWorker.NS)
                .withName(CallNames.forCallId(callId))
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    /** What signaling writes from WhatsApp's connect webhook (sdp_type answer). */
    void remoteAnswer(String callId, String sdp) {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        doc.putObject("spec").put("sdpAnswer", sdp);
        patch(callId, doc.toString());
    }

    String offered(String callId) {
        return await().ignoreExceptions()
                .atMost(Duration.ofSeconds(20))
                // Stamped with the placement it answers, so the operator's connect takes it.
                .until(() -> worker.get(callId).currentMedia().getSdpOffer(), o -> o != null);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theCalleeRingsInSilenceThenHearsTheGreetingOnceAccepted(boolean phoneIsDtlsClient) throws Exception {
        String callId = "out.worker." + phoneIsDtlsClient;
        outbound(callId);
        String offer = offered(callId);
        assertThat(worker.get(callId).getStatus().getMedia().getSdpAnswer()).isNull();
        try (SyntheticPhone phone =
                worker.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults())) {
            remoteAnswer(callId, phone.answerOffer(offer, phoneIsDtlsClient));
            assertThat(phone.awaitConnected(Duration.ofSeconds(15))).isTrue();
            await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "Connected"
                    .equals(worker.get(callId).getStatus().getMedia().getDtlsState()));
            // Ringing: DTLS is up and the agent warm, yet nothing reaches the phone.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> phone.mediaDatagramsReceived() == 0);

            phone.pickUp();
            phone.startRecording();
            patch(
                    callId,
                    "{\"metadata\":{\"annotations\":{\"" + Labels.WHATSAPP_STATUS_ANNOTATION + "\":\"ACCEPTED\"}}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                short[] heard = phone.recording();
                return heard.length >= 24_000
                        && AudioAnalysis.dominant(heard, 0, heard.length, 24_000, 440, 660, 880)
                                        .hz()
                                == 660;
            });
            assertThat(phone.mediaDatagramsBeforePickUp()).isZero();
            assertThat(worker.get(callId).getStatus().getMedia().getSdpOffer())
                    .as("the offer stays as connect sent it")
                    .isEqualTo(offer);

            worker.hangUp(callId, EndReason.ApiHangup);
            VoiceCall ended = await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> worker.get(callId), c -> c.getStatus().getEnd() != null);
            assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.ApiHangup);
        }
    }

    @Test
    void anAnswerTheWorkerCannotUseEndsTheCallInvalidAnswer() {
        String callId = "out.worker.bad";
        outbound(callId);
        offered(callId);
        remoteAnswer(callId, "v=0\r\ns=-\r\n");
        VoiceCall ended = await().ignoreExceptions()
                .atMost(Duration.ofSeconds(10))
                .until(() -> worker.get(callId), c -> c.getStatus().getEnd() != null);
        assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.InvalidAnswer);
    }
}
