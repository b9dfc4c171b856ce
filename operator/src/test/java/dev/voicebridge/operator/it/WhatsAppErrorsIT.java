package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.graph.GraphFault;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Graph API failures that end a call, and the guard on identical SDP. */
@ExtendWith(KubeApiExtension.class)
class WhatsAppErrorsIT {
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
        h.worker("w", 10, true);
        h.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static boolean rejected(VoiceCall c) {
        return c.phase() == CallPhase.Failed
                && c.getStatus().getWhatsapp().getReject() != null
                && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null;
    }

    @Test
    void retriesAreBoundedThenTheCallFailsWhatsAppError() {
        h.graph.failNext("pre_accept", 4, new GraphFault.ServerError(502));
        h.call("wacid.exhaust", AcceptBy.bridge);
        h.await("wacid.exhaust", c -> worker(c) != null);
        h.answer("wacid.exhaust");
        VoiceCall failed = h.await("wacid.exhaust", WhatsAppErrorsIT::rejected);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.WhatsAppError);
        assertThat(failed.getStatus().getWhatsapp().getPreAccept().getAttempts())
                .isEqualTo(4);
        assertThat(failed.getStatus().getWhatsapp().getPreAccept().getFailedAt())
                .isNotNull();
        assertThat(h.graph.requests("wacid.exhaust"))
                .extracting(r -> r.action() + ":" + r.status())
                .containsExactly("pre_accept:502", "pre_accept:502", "pre_accept:502", "pre_accept:502", "reject:200");
    }

    @Test
    void anAnswerChangedAfterPreAcceptIsNeverAccepted() {
        h.call("wacid.sdp", AcceptBy.bridge);
        h.await("wacid.sdp", c -> worker(c) != null);
        h.answer("wacid.sdp");
        h.await("wacid.sdp", FailuresIT::preAccepted);
        // A (buggy) worker rewrites its answer; accept must never carry other bytes than pre_accept.
        var media = new MediaStatus();
        media.setSdpAnswer(OperatorHarness.SDP_ANSWER + "a=extra\r\n");
        media.setDtlsState("Connected");
        var patch = h.patcher.statusPatch();
        patch.set("media", h.patcher.json().valueToTree(media));
        h.patcher.patchStatus(h.get("wacid.sdp"), patch, false);

        VoiceCall failed = h.await("wacid.sdp", WhatsAppErrorsIT::rejected);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.InternalError);
        assertThat(failed.getStatus().getEnd().getMessage()).contains("SDP answer changed");
        assertThat(h.graph.requests("wacid.sdp"))
                .extracting(GraphRequest::action)
                .containsExactly("pre_accept", "reject");
    }

    @Test
    void withoutAnAccessTokenNoGraphCallIsMadeAndTheCallFails() {
        client.secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName("whatsapp")
                .delete();
        h.call("wacid.notoken", AcceptBy.bridge);
        h.await("wacid.notoken", c -> worker(c) != null);
        h.answer("wacid.notoken");
        VoiceCall failed = h.await(
                "wacid.notoken",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject() != null
                        && c.getStatus().getWhatsapp().getReject().getFailedAt() != null);
        assertThat(failed.getStatus().getEnd().getReason()).isEqualTo(EndReason.WhatsAppError);
        assertThat(failed.getStatus().getWhatsapp().getLastError().getMessage()).contains("access token");
        assertThat(h.graph.requests()).isEmpty();
    }
}
