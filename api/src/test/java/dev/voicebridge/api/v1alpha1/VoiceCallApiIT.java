package dev.voicebridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Crds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resources against the Fabric8 CRUD mock API server, with the generated CRDs installed. */
@EnableKubernetesMockClient(crud = true)
class VoiceCallApiIT {
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void installCrds() {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(Crds.voiceCalls())
                .create();
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(Crds.voiceAgents())
                .create();
    }

    static VoiceCall newCall(String callId) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setSdpOffer("v=0\r\n");
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace("calls")
                .build());
        return call;
    }

    @Test
    void createIsIdempotentByName() {
        var calls = client.resources(VoiceCall.class).inNamespace("calls");
        calls.resource(newCall("wacid.A==")).create();
        assertThatThrownBy(() -> calls.resource(newCall("wacid.A==")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                        .isEqualTo(409));
        assertThat(calls.list().getItems()).hasSize(1);
    }

    @Test
    void watchSeesCreateAndStatusChanges() {
        var calls = client.resources(VoiceCall.class).inNamespace("calls");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var ignored = calls.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, VoiceCall resource) {
                seen.add(action + ":" + resource.phase());
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            calls.resource(newCall("wacid.W")).create();
            var patch = new VoiceCall();
            patch.statusOrNew().setPhase(CallPhase.Assigned);
            calls.withName(CallNames.forCallId("wacid.W")).patchStatus(patch);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(seen).contains("ADDED:Pending", "MODIFIED:Assigned"));
        }
    }

    @Test
    void statusMergePatchesOnlyTheWritersOwnPart() {
        var calls = client.resources(VoiceCall.class).inNamespace("calls");
        String name = CallNames.forCallId("wacid.M");
        calls.resource(newCall("wacid.M")).create();

        var operatorPart = new Assignment();
        operatorPart.setWorker("worker-0");
        operatorPart.setAttempt(1);
        var fromOperator = new VoiceCall();
        fromOperator.statusOrNew().setPhase(CallPhase.Assigned);
        fromOperator.getStatus().setAssignment(operatorPart);
        calls.withName(name).patchStatus(fromOperator);

        var mediaPart = new MediaStatus();
        mediaPart.setSdpAnswer("v=0\r\n");
        mediaPart.setPacketsIn(10L);
        var fromWorker = new VoiceCall();
        fromWorker.statusOrNew().setMedia(mediaPart);
        calls.withName(name).patchStatus(fromWorker);

        VoiceCall now = calls.withName(name).get();
        assertThat(now.phase()).isEqualTo(CallPhase.Assigned);
        assertThat(now.getStatus().getAssignment().getWorker()).isEqualTo("worker-0");
        assertThat(now.getStatus().getMedia().getSdpAnswer()).isEqualTo("v=0\r\n");
        assertThat(now.getSpec().getCallId()).isEqualTo("wacid.M");
    }

    @Test
    void staleUpdateAndStaleMergePatchAreRefusedWith409() {
        var calls = client.resources(VoiceCall.class).inNamespace("calls");
        var created = calls.resource(newCall("wacid.S")).create();
        String staleVersion = created.getMetadata().getResourceVersion();

        var hangup = new HangupRequest();
        hangup.setReason(EndReason.ApiHangup);
        created.getSpec().setHangup(hangup);
        calls.resource(created).update();

        var stale = newCall("wacid.S");
        stale.getMetadata().setResourceVersion(staleVersion);
        assertThatThrownBy(() -> calls.resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                        .isEqualTo(409));

        var stalePatch = new VoiceCall();
        stalePatch.setMetadata(
                new ObjectMetaBuilder().withResourceVersion(staleVersion).build());
        stalePatch.statusOrNew().setPhase(CallPhase.Failed);
        assertThatThrownBy(() -> calls.withName(CallNames.forCallId("wacid.S"))
                        .patch(PatchContext.of(PatchType.JSON_MERGE), stalePatch))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                        .isEqualTo(409));
        assertThat(calls.withName(CallNames.forCallId("wacid.S"))
                        .get()
                        .getSpec()
                        .getHangup()
                        .getReason())
                .isEqualTo(EndReason.ApiHangup);
    }
}
