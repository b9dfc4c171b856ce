package dev.voicebridge.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Crds;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write is one request: every service's VoiceCall writes go through here, many on a call's setup
 * path, and addressed by name alone Fabric8 reads the resource (a GET) before each patch.
 */
@EnableKubernetesMockClient(crud = true)
class GuardedPatchIT {
    KubernetesClient client;
    KubernetesMockServer server;

    VoiceCall call;

    @BeforeEach
    void createCall() {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(Crds.voiceCalls())
                .create();
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.patched");
        spec.setSource(CallSource.api);
        spec.setAcceptBy(AcceptBy.caller);
        var created = new VoiceCall(spec);
        created.setMetadata(new ObjectMetaBuilder()
                .withName("wa-patched")
                .withNamespace("calls")
                .build());
        call = client.resource(created).create();
    }

    private List<String> requests() throws InterruptedException {
        var all = new ArrayList<String>();
        for (RecordedRequest r; (r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null; ) {
            all.add(r.getMethod() + " " + r.getPath());
        }
        return all;
    }

    @Test
    void eachWriteIsOnePatchWithoutARead() throws InterruptedException {
        requests();
        var patches = new GuardedPatch(client);
        var status = GuardedPatch.document();
        status.putObject("status").put("phase", "Assigned");
        VoiceCall afterStatus = patches.write(call, GuardedPatch.Target.STATUS, status);
        var labels = GuardedPatch.document();
        labels.putObject("metadata").putObject("labels").put("voicebridge.dev/worker", "w-0");
        VoiceCall afterLabels = patches.unguarded(afterStatus, GuardedPatch.Target.RESOURCE, labels);

        String path = "/apis/voicebridge.dev/v1alpha1/namespaces/calls/voicecalls/wa-patched";
        assertThat(requests()).containsExactly("PATCH " + path + "/status", "PATCH " + path);
        assertThat(afterLabels.getMetadata().getLabels()).containsEntry("voicebridge.dev/worker", "w-0");
        assertThat(afterLabels.getStatus().getPhase().name()).isEqualTo("Assigned");
    }
}
