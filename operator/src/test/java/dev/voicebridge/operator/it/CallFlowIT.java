package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.graph.GraphRequest;
import io.fabric8.kubernetes.api.model.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The call flows end to end: operator on the in-memory Kubernetes API, the fake Graph API over real HTTP. */
class CallFlowIT extends OneWorkerOperatorIT {
    @Test
    void bridgeCallIsPlacedPreAcceptedAcceptedWithIdenticalSdpAndConnected() throws Exception {
        h.call("wacid.flow1", AcceptBy.bridge);
        VoiceCall assigned = h.await("wacid.flow1", c -> "worker-a"
                .equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        assertThat(assigned.phase()).isEqualTo(CallPhase.Assigned);
        assertThat(assigned.getStatus().getAssignment().getAttempt()).isEqualTo(1);
        assertThat(assigned.getStatus().getAssignment().getNode()).isEqualTo("node-worker-a");
        assertThat(h.graph.requests()).isEmpty();

        h.answer("wacid.flow1");
        VoiceCall preAccepted = h.await(
                "wacid.flow1",
                c -> c.getStatus().getWhatsapp() != null
                        && c.getStatus().getWhatsapp().getPreAccept().getCompletedAt() != null);
        assertThat(preAccepted.phase()).isEqualTo(CallPhase.Answered);
        // accept waits for DTLS (default accept-on dtls-connected).
        assertThat(h.graph.succeededActions("wacid.flow1")).containsExactly("pre_accept");

        h.dtlsConnected("wacid.flow1");
        VoiceCall connected = h.awaitPhase("wacid.flow1", CallPhase.Connected);
        List<GraphRequest> sent = h.graph.requests("wacid.flow1");
        assertThat(sent).extracting(GraphRequest::action).containsExactly("pre_accept", "accept");
        assertThat(sent.get(1).sdp()).isEqualTo(sent.get(0).sdp()).isEqualTo(OperatorHarness.SDP_ANSWER);
        assertThat(sent.get(0).phoneNumberId()).isEqualTo(OperatorHarness.PHONE);
        // accept names the VoiceCall, so every later webhook maps back to it even without the id.
        assertThat(dev.voicebridge.api.CallNames.fromCallbackData(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(sent.get(1).body())
                        .path("biz_opaque_callback_data")
                        .asText()))
                .contains(connected.getMetadata().getName());
        var wa = connected.getStatus().getWhatsapp();
        assertThat(wa.getAccept().getSdpSha256()).isEqualTo(wa.getPreAccept().getSdpSha256());
        assertThat(wa.getAccept().getAttempts()).isEqualTo(1);
        assertThat(connected.getStatus().getTimestamps().getSetupMillis()).isNotNull();
        // The phase is in status only (awaited above); the one label is the worker's.
        assertThat(connected.getMetadata().getLabels()).containsOnlyKeys(Labels.WORKER);
        assertThat(connected.getStatus().getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("Assigned=True", "Answered=True", "MediaConnected=True");

        // Events are sent after the reconcile that recorded them, by the recorder's own thread.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events("wacid.flow1"))
                        .containsSubsequence("Assigned", "Answered", "PreAccepted", "Accepted", "Connected"));

        var http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + h.operator().httpPort();
        for (String path : List.of("/health/live", "/health/ready")) {
            var health = http.send(
                    HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(path).isEqualTo(200);
            assertThat(health.body()).contains("UP");
        }
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + h.operator().httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("voicebridge_calls{phase=\"Connected\"} 1")
                .contains("voicebridge_call_setup_seconds_count 1")
                .contains("voicebridge_graph_request_seconds_count{action=\"accept\"} 1");
    }

    @Test
    void callerHangupEndsWithoutGraphCallAndAgentHangupTerminates() {
        h.connect("wacid.hang1");
        h.connect("wacid.hang2");
        h.hangup("wacid.hang1", EndReason.CallerHangup);
        h.workerEnds("wacid.hang1", EndReason.CallerHangup);
        VoiceCall ended = h.awaitPhase("wacid.hang1", CallPhase.Ended);
        assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.CallerHangup);
        assertThat(ended.getStatus().getTimestamps().getDurationSeconds()).isNotNull();

        h.workerEnds("wacid.hang2", EndReason.AgentHangup);
        h.await(
                "wacid.hang2",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        assertThat(h.graph.succeededActions("wacid.hang1")).containsExactly("pre_accept", "accept");
        assertThat(h.graph.succeededActions("wacid.hang2")).containsExactly("pre_accept", "accept", "terminate");
    }

    /**
     * Caller (API) mode: the client does pre_accept/accept with WhatsApp and confirms through the
     * call API (the accepted annotation). The worker sends no media before that confirmation, so
     * DTLS alone does not make the call Connected; the confirmation does.
     */
    @Test
    void callerModeDoesPlacementButNoGraphCallsAndConnectsOnlyOnceAccepted() {
        h.call("wacid.api1", AcceptBy.caller);
        h.await("wacid.api1", c -> worker(c) != null);
        h.answer("wacid.api1");
        h.awaitPhase("wacid.api1", CallPhase.Answered);
        h.dtlsConnected("wacid.api1");
        // The operator reconciles the DTLS write (it wakes on every change of the call) and must
        // leave the phase alone: the call is not accepted yet.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> h.get("wacid.api1").phase() == CallPhase.Answered);
        h.confirmAccepted("wacid.api1");
        VoiceCall connected = h.awaitPhase("wacid.api1", CallPhase.Connected);
        assertThat(connected.getStatus().getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("MediaConnected=True");
        h.hangup("wacid.api1", EndReason.ApiHangup);
        h.workerEnds("wacid.api1", EndReason.ApiHangup);
        h.awaitPhase("wacid.api1", CallPhase.Ended);
        assertThat(h.graph.requests()).isEmpty();
    }

    /**
     * Media mode (the drop-in endpoints): nobody reports the accept; the worker releases media on
     * the caller's first authenticated packet and records it as {@code status.media.mediaStartedAt},
     * which is what makes the call Connected. No Graph calls either.
     */
    @Test
    void mediaModeDoesNoGraphCallsAndConnectsOnceTheWorkerStartedMedia() {
        h.call("wacid.media1", AcceptBy.media);
        h.await("wacid.media1", c -> worker(c) != null);
        h.answer("wacid.media1");
        h.awaitPhase("wacid.media1", CallPhase.Answered);
        h.dtlsConnected("wacid.media1");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> h.get("wacid.media1").phase() == CallPhase.Answered);
        h.mediaStarted("wacid.media1");
        h.awaitPhase("wacid.media1", CallPhase.Connected);
        h.hangup("wacid.media1", EndReason.ApiHangup);
        h.workerEnds("wacid.media1", EndReason.ApiHangup);
        h.awaitPhase("wacid.media1", CallPhase.Ended);
        assertThat(h.graph.requests()).isEmpty();
    }

    List<String> events(String callId) {
        String name = dev.voicebridge.api.CallNames.forCallId(callId);
        return client.v1().events().inNamespace(OperatorHarness.NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing(
                        Event::getMetadata, (a, b) -> a.getName().compareTo(b.getName())))
                .map(Event::getReason)
                .toList();
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
