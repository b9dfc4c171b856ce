package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.NAMESPACE;
import static dev.voicebridge.operator.it.OperatorHarness.PHONE;
import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppCapture;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.testkit.graph.GraphFault;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.graph.UserPermission;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Business-initiated calls through the operator against the fake Graph API: the permission check
 * before a worker is used, connect with the worker's offer and the call's callback data, the
 * phases WhatsApp's webhooks drive (played here as signaling writes them), the ring timeout, and
 * the end reasons of WhatsApp's refusals.
 */
@ExtendWith(KubeApiExtension.class)
class OutboundIT {
    static final String USER = "447700900777";
    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE audio\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Of/r\r\na=ice-pwd:o+f/f=\r\n"
            + "a=setup:actpass\r\na=mid:audio\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";

    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
        h.worker("w", 10, true);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_RING_TIMEOUT, "2s"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    VoiceCall outbound(String callId) {
        return outbound(callId, null);
    }

    VoiceCall outbound(String callId, WhatsAppCapture recording) {
        var spec = new VoiceCallSpec();
        spec.setRecording(recording);
        spec.setCallId(callId);
        spec.setSource(CallSource.api);
        spec.setDirection(CallDirection.outbound);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setPhoneNumberId(PHONE);
        spec.setCallee(USER);
        spec.setCalleeDisplay("+44*******777");
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace(NAMESPACE)
                .build());
        return client.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .resource(call)
                .create();
    }

    /** The worker writes its offer, as media-worker does for an outbound call once it is placed. */
    void offer(String callId) {
        VoiceCall placed = h.await(callId, c -> worker(c) != null);
        offer(callId, placed.getStatus().getAssignment().getAttempt(), OFFER);
    }

    /** The offer of the worker of placement {@code attempt}, stamped as media-worker stamps it. */
    void offer(String callId, Integer attempt, String sdp) {
        var media = new MediaStatus();
        media.setAttempt(attempt);
        media.setSdpOffer(sdp);
        media.setOfferedAt(Instant.now().toString());
        var patch = h.patcher.statusPatch();
        patch.set("media", h.patcher.json().valueToTree(media));
        h.patcher.patchStatus(h.get(callId), patch, false);
    }

    /** A WhatsApp status webhook as signaling records it. */
    void whatsappStatus(String callId, String status) {
        var doc = new ObjectMapper().createObjectNode();
        doc.putObject("metadata")
                .putObject("annotations")
                .put(Labels.WHATSAPP_STATUS_ANNOTATION, status)
                .put(Labels.WHATSAPP_STATUS_AT_ANNOTATION, Instant.now().toString());
        patch(callId, doc.toString());
    }

    void patch(String callId, String json) {
        client.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .withName(CallNames.forCallId(callId))
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    String dialled(String callId) {
        return dialled(callId, null);
    }

    String dialled(String callId, WhatsAppCapture recording) {
        outbound(callId, recording);
        offer(callId);
        VoiceCall dialled = h.await(
                callId,
                c -> c.getStatus().getWhatsapp() != null
                        && c.getStatus().getWhatsapp().getCallId() != null);
        return dialled.getStatus().getWhatsapp().getCallId();
    }

    static EndReason reason(VoiceCall call) {
        return call.getStatus().getEnd().getReason();
    }

    @Test
    void answeredCallRingsConnectsOnAcceptedAndIsTerminatedWhenWeHangUp() throws Exception {
        var recording = new WhatsAppCapture();
        recording.setEnabled(true);
        recording.setPurpose("quality assurance");
        recording.setAnnouncementLanguage("en_US");
        String waCallId = dialled("out.t.answered", recording);
        VoiceCall call = h.get("out.t.answered");
        assertThat(call.getStatus().getWhatsapp().getPermission().getStatus()).isEqualTo("temporary");
        assertThat(h.graph.requestsFor("call_permissions")).hasSize(1);
        GraphRequest connect = h.graph.requestsFor("connect").getFirst();
        assertThat(connect.succeeded()).isTrue();
        assertThat(connect.sdp()).isEqualTo(OFFER);
        var body = new ObjectMapper().readTree(connect.body());
        assertThat(body.get("to").asText()).isEqualTo(USER);
        // The call's opt-in into WhatsApp's recording travels with connect, as Graph takes it.
        assertThat(body.path("recording").path("status").asText()).isEqualTo("ENABLED");
        assertThat(body.path("recording").path("purpose").asText()).isEqualTo("quality assurance");
        assertThat(body.path("recording").path("announcement_language").asText())
                .isEqualTo("en_US");
        assertThat(body.has("transcription")).as("not opted in").isFalse();
        assertThat(CallNames.fromCallbackData(
                        body.get("biz_opaque_callback_data").asText()))
                .contains(CallNames.forCallId("out.t.answered"));

        whatsappStatus("out.t.answered", "RINGING");
        h.awaitPhase("out.t.answered", CallPhase.Ringing);
        h.dtlsConnected("out.t.answered");
        // DTLS up is not enough: the user has not picked up.
        whatsappStatus("out.t.answered", "ACCEPTED");
        VoiceCall connected = h.awaitPhase("out.t.answered", CallPhase.Connected);
        assertThat(connected.getStatus().getTimestamps().getConnectedAt()).isNotNull();

        h.workerEnds("out.t.answered", EndReason.AgentHangup);
        VoiceCall ended = h.await(
                "out.t.answered",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate() != null
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        assertThat(reason(ended)).isEqualTo(EndReason.AgentHangup);
        assertThat(h.graph.requests(waCallId)).extracting(GraphRequest::action).containsExactly("connect", "terminate");
    }

    /**
     * A worker lost before connect: the call moves to another worker, and the lost worker's offer
     * (here its write lands after the move) is never sent — connect carries the offer of the
     * current placement's worker (status.media.attempt).
     */
    @Test
    void aWorkerLostBeforeConnectIsReplacedAndConnectCarriesTheNewWorkersOffer() {
        String callId = "out.t.moved";
        outbound(callId);
        int first = h.await(callId, c -> "w".equals(worker(c)))
                .getStatus()
                .getAssignment()
                .getAttempt();
        h.deleteWorker("w");
        h.await(callId, c -> worker(c) == null && c.phase() == CallPhase.Pending);
        offer(callId, first, OFFER);
        h.worker("w2", 10, true);
        VoiceCall moved = h.await(
                callId,
                c -> "w2".equals(worker(c))
                        && "w2".equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        assertThat(moved.getStatus().getAssignment().getAttempt()).isEqualTo(first + 1);
        Awaitility.await()
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> h.graph.requestsFor("connect").isEmpty());

        String newOffer = OFFER.replace("a=ice-ufrag:Of/r", "a=ice-ufrag:Nw/o");
        offer(callId, first + 1, newOffer);
        h.await(
                callId,
                c -> c.getStatus().getWhatsapp() != null
                        && c.getStatus().getWhatsapp().getCallId() != null);
        assertThat(h.graph.requestsFor("connect")).extracting(GraphRequest::sdp).containsExactly(newOffer);
    }

    @Test
    void aRejectedCallEndsRejectedAndIsNotTerminated() {
        String waCallId = dialled("out.t.rejected");
        whatsappStatus("out.t.rejected", "REJECTED");
        var hangup = new HangupRequest();
        hangup.setReason(EndReason.Rejected);
        hangup.setRequestedAt(Instant.now().toString());
        var doc = new ObjectMapper().createObjectNode();
        doc.putObject("spec").set("hangup", h.patcher.json().valueToTree(hangup));
        patch("out.t.rejected", doc.toString());
        VoiceCall ended = h.awaitPhase("out.t.rejected", CallPhase.Ended);
        assertThat(reason(ended)).isEqualTo(EndReason.Rejected);
        assertThat(h.graph.requests(waCallId)).extracting(GraphRequest::action).containsExactly("connect");
    }

    @Test
    void anUnansweredCallEndsNoAnswerAtTheRingTimeoutAndIsTerminated() {
        String waCallId = dialled("out.t.unanswered");
        whatsappStatus("out.t.unanswered", "RINGING");
        VoiceCall ended = h.await(
                "out.t.unanswered",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate() != null
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        assertThat(reason(ended)).isEqualTo(EndReason.NoAnswer);
        assertThat(h.graph.requests(waCallId)).extracting(GraphRequest::action).containsExactly("connect", "terminate");
    }

    @Test
    void withoutPermissionNoWorkerIsUsedAndThePermissionRequestIsSent() {
        // A merge patch of the spec alone: the operator writes the agent's status concurrently, so
        // an update carrying a resourceVersion could meet a 409.
        client.resources(VoiceAgent.class)
                .inNamespace(NAMESPACE)
                .withName("support")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"outbound\":{\"requestPermission\":true,"
                                + "\"permissionRequestText\":\"May we call you about your appointment?\"}}}");
        h.graph.permission(USER, UserPermission.none());

        outbound("out.t.noperm");
        VoiceCall ended = h.await(
                "out.t.noperm",
                c -> c.phase().isTerminal()
                        && c.getStatus().getWhatsapp().getPermissionRequest() != null
                        && c.getStatus().getWhatsapp().getPermissionRequest().getCompletedAt() != null);
        assertThat(reason(ended)).isEqualTo(EndReason.NoCallPermission);
        assertThat(worker(ended))
                .as("no worker for a call WhatsApp would refuse")
                .isNull();
        assertThat(ended.getStatus().getWhatsapp().getPermission().getStatus()).isEqualTo("no_permission");
        assertThat(h.graph.requestsFor("connect")).isEmpty();
        assertThat(h.graph.permissionRequests()).singleElement().satisfies(r -> assertThat(r.text())
                .isEqualTo("May we call you about your appointment?"));
    }

    @Test
    void aLimitWhatsAppReportsEndsTheCallWithTheSpecificReasonAndItsError() {
        h.graph.permission(USER, UserPermission.limitReached());
        outbound("out.t.limit");
        VoiceCall ended = h.await("out.t.limit", c -> c.phase().isTerminal());
        assertThat(reason(ended)).isEqualTo(EndReason.CallLimitReached);
        assertThat(h.graph.requestsFor("connect")).isEmpty();

        // A refusal connect itself reports (the check could not see it) keeps WhatsApp's error.
        h.graph.permission(USER, UserPermission.temporary());
        h.graph.failNext(
                "connect", 1, new GraphFault.GraphErrorCode(400, 138013, "Business initiated calling unavailable"));
        outbound("out.t.country");
        offer("out.t.country");
        VoiceCall refused = h.await("out.t.country", c -> c.phase().isTerminal());
        assertThat(reason(refused)).isEqualTo(EndReason.CallingUnavailable);
        assertThat(refused.getStatus().getWhatsapp().getLastError().getCode()).isEqualTo(138013L);
        assertThat(refused.getStatus().getWhatsapp().getConnect().getFailedAt()).isNotNull();
        assertThat(refused.getStatus().getWhatsapp().getTerminate())
                .as("WhatsApp placed nothing")
                .isNull();
    }

    @Test
    void aConnectRefusedForItsRateIsSentAgainButOneThatMayHaveRungNever() {
        h.graph.failNext("connect", 1, new GraphFault.RateLimited());
        String waCallId = dialled("out.t.rate");
        assertThat(waCallId).isNotNull();
        assertThat(h.graph.requestsFor("connect"))
                .extracting(GraphRequest::status)
                .containsExactly(429, 200);

        h.graph.failNext("connect", 1, new GraphFault.ServerError(500));
        outbound("out.t.unknown");
        offer("out.t.unknown");
        VoiceCall ended = h.await("out.t.unknown", c -> c.phase().isTerminal());
        assertThat(reason(ended)).isEqualTo(EndReason.WhatsAppError);
        assertThat(ended.getStatus().getEnd().getMessage()).contains("connect's outcome is unknown");
        assertThat(h.graph.requestsFor("connect"))
                .as("the 500 may have placed the call: never a second connect")
                .hasSize(3);
    }
}
