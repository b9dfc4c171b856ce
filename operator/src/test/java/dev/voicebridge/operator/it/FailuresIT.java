package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.testkit.graph.GraphFault;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Timeouts, capacity and Graph API failures, each ending with its specific reason. */
@ExtendWith(KubeApiExtension.class)
class FailuresIT {
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static boolean preAccepted(VoiceCall c) {
        return c.getStatus().getWhatsapp() != null
                && c.getStatus().getWhatsapp().getPreAccept() != null
                && c.getStatus().getWhatsapp().getPreAccept().getCompletedAt() != null;
    }

    @Test
    void noWorkerWithinThePendingTimeoutEndsNoCapacityAndRejectsOnce() {
        h.worker("full", 0, true);
        h.worker("draining", 5, true);
        h.setDraining("draining");
        h.start(Map.of(ConfigKey.VOICEBRIDGE_PENDING_TIMEOUT, "1s"));
        h.call("wacid.nocap", AcceptBy.bridge);
        VoiceCall failed = h.await(
                "wacid.nocap",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.NoCapacity);
        assertThat(worker(failed)).isNull();
        assertThat(h.graph.requests("wacid.nocap"))
                .extracting(GraphRequest::action)
                .containsExactly("reject");
        assertThat(h.operator().metrics().scrape())
                .contains("voicebridge_placement_failures_total{reason=\"AllFull\"}");
    }

    @Test
    void drainingWorkerGetsNoNewCalls() {
        h.worker("old", 10, true);
        h.worker("new", 10, true);
        h.setDraining("old");
        h.start();
        for (int i = 0; i < 6; i++) {
            h.call("wacid.drain" + i, AcceptBy.bridge);
        }
        for (int i = 0; i < 6; i++) {
            assertThat(worker(h.await("wacid.drain" + i, c -> worker(c) != null)))
                    .isEqualTo("new");
        }
    }

    @Test
    void answeredButNeverConnectedEndsMediaTimeoutAndRejects() {
        h.worker("w", 10, true);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_CONNECT_TIMEOUT, "1500ms"));
        h.call("wacid.mt", AcceptBy.bridge);
        h.await("wacid.mt", c -> worker(c) != null);
        h.answer("wacid.mt");
        VoiceCall failed = h.await(
                "wacid.mt",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject() != null
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.MediaTimeout);
        assertThat(h.graph.succeededActions("wacid.mt")).containsExactly("pre_accept", "reject");
    }

    @Test
    void maxDurationEndsTheCallAndTerminates() {
        h.worker("w", 10, true);
        h.start();
        h.call("wacid.max", AcceptBy.bridge, 1);
        h.await("wacid.max", c -> worker(c) != null);
        h.answer("wacid.max");
        h.await("wacid.max", FailuresIT::preAccepted);
        h.dtlsConnected("wacid.max");
        h.awaitPhase("wacid.max", CallPhase.Connected);
        VoiceCall ended = h.await(
                "wacid.max",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate() != null
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null,
                Duration.ofSeconds(5));
        assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.MaxDuration);
        assertThat(ended.getStatus().getEnd().getBy()).isEqualTo("operator");
        assertThat(h.graph.succeededActions("wacid.max")).containsExactly("pre_accept", "accept", "terminate");
    }

    @Test
    void hangupTheWorkerDoesNotObeyIsCompletedByTheOperator() {
        h.worker("w", 10, true);
        h.start();
        h.connect("wacid.hu");
        h.hangup("wacid.hu", EndReason.ApiHangup);
        // The worker keeps running; within the hang-up grace (2 s) the operator ends it.
        VoiceCall ended = h.await(
                "wacid.hu",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.ApiHangup);
        assertThat(ended.getStatus().getEnd().getBy()).isEqualTo("operator");
    }

    @Test
    void hangupOfAPendingCallEndsAtOnceWithoutGraphCalls() {
        h.start();
        h.call("wacid.cancel", AcceptBy.bridge);
        h.hangup("wacid.cancel", EndReason.Canceled);
        VoiceCall ended = h.awaitPhase("wacid.cancel", CallPhase.Ended);
        assertThat(ended.getStatus().getEnd().getReason()).isEqualTo(EndReason.Canceled);
        assertThat(h.graph.requests()).isEmpty();
    }

    @Test
    void graph5xxAndTimeoutsAreRetriedWithBackoff() {
        h.worker("w", 10, true);
        h.start();
        h.graph.failNext(2, new GraphFault.ServerError(503));
        h.graph.failNext(1, new GraphFault.Delay(Duration.ofMillis(1500)));
        h.call("wacid.retry", AcceptBy.bridge);
        h.await("wacid.retry", c -> worker(c) != null);
        h.answer("wacid.retry");
        VoiceCall done = h.await("wacid.retry", FailuresIT::preAccepted);
        assertThat(done.getStatus().getWhatsapp().getPreAccept().getAttempts()).isEqualTo(4);
        assertThat(h.graph.requests("wacid.retry"))
                .extracting(GraphRequest::status)
                .containsExactly(503, 503, 200, 200);
        assertThat(h.operator().metrics().scrape())
                .contains("voicebridge_graph_errors_total{action=\"pre_accept\",code=\"1\"} 2")
                .contains("voicebridge_graph_errors_total{action=\"pre_accept\",code=\"transport\"} 1");
    }

    @Test
    void graph4xxIsNotRetriedAndEndsTheCallWithTheMappedReason() {
        h.worker("w", 10, true);
        h.start();
        h.graph.failNext(1, new GraphFault.GraphErrorCode(400, 138000, "Calling is not enabled"));
        h.call("wacid.perm", AcceptBy.bridge);
        h.await("wacid.perm", c -> worker(c) != null);
        h.answer("wacid.perm");
        VoiceCall failed = h.await(
                "wacid.perm",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.WhatsAppError);
        assertThat(failed.getStatus().getWhatsapp().getPreAccept().getFailedAt())
                .isNotNull();
        assertThat(failed.getStatus().getWhatsapp().getLastError().getCode()).isEqualTo(138000L);
        assertThat(h.graph.requests("wacid.perm"))
                .extracting(GraphRequest::action)
                .containsExactly("pre_accept", "reject");
    }

    @Test
    void acceptOnAnswerAndConcurrencyLimitOnAcceptEndsNoCapacityWithReject() {
        h.worker("w", 10, true);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_ACCEPT_ON, "answer"));
        h.graph.failNext("accept", 1, new GraphFault.GraphErrorCode(400, 138002, "Concurrent call limit"));
        h.call("wacid.limit", AcceptBy.bridge);
        h.await("wacid.limit", c -> worker(c) != null);
        h.answer("wacid.limit");
        // No DTLS report: with accept-on=answer, accept follows pre_accept at once.
        VoiceCall failed = h.await(
                "wacid.limit",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject() != null
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.NoCapacity);
        assertThat(h.graph.requests("wacid.limit"))
                .extracting(r -> r.action() + ":" + r.status())
                .containsExactly("pre_accept:200", "accept:400", "reject:200");
    }
}
