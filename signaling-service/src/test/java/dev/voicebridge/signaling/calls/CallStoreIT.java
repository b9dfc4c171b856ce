package dev.voicebridge.signaling.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CallStore's writes against the in-memory Kubernetes API with the generated CRDs. */
@ExtendWith(KubeApiExtension.class)
class CallStoreIT {
    KubernetesClient client;
    CallStore store;

    @BeforeEach
    void setUp() {
        store = new CallStore(client, "calls");
    }

    static VoiceCall call(String callId, String offer) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setSdpOffer(offer);
        var call = new VoiceCall(spec);
        call.setMetadata(
                new ObjectMetaBuilder().withName(CallNames.forCallId(callId)).build());
        return call;
    }

    static HangupRequest hangup(EndReason reason) {
        var h = new HangupRequest();
        h.setReason(reason);
        return h;
    }

    @Test
    void createReturnsTheExistingResourceOnANameCollision() {
        assertThat(store.create(call("wacid.1", "v=0\r\n"))).isInstanceOf(CallStore.New.class);
        var again = store.create(call("wacid.1", "v=0\r\nother"));
        assertThat(again).isInstanceOf(CallStore.Existing.class);
        assertThat(again.call().getSpec().getSdpOffer()).isEqualTo("v=0\r\n");
    }

    @Test
    void aHangupDecidedOnAStaleCopyNeverOverwritesOneSetMeanwhile() {
        VoiceCall stale = store.create(call("wacid.2", "v=0\r\n")).call();
        assertThat(store.requestHangupIfAbsent(stale, hangup(EndReason.ApiHangup)))
                .isTrue();
        // `stale` still shows no hang-up and an old resourceVersion: the patch must not win.
        assertThat(store.requestHangupIfAbsent(stale, hangup(EndReason.CallerHangup)))
                .isFalse();
        assertThat(store.find(stale.getMetadata().getName())
                        .orElseThrow()
                        .getSpec()
                        .getHangup()
                        .getReason())
                .isEqualTo(EndReason.ApiHangup);
    }

    @Test
    void writesToAMissingCallAre404Problems() {
        assertThatThrownBy(() -> store.requestHangupIfAbsent(call("wacid.none", "v=0"), hangup(EndReason.ApiHangup)))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.code()).isIn(ProblemCode.CALL_NOT_FOUND));
    }
}
