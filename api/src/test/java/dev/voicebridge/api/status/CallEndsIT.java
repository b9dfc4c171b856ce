package dev.voicebridge.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Crds;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CallEndsIT {
    KubernetesClient client;

    @BeforeEach
    void installCrd() {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(Crds.voiceCalls())
                .create();
    }

    String createCall(String callId) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.api);
        spec.setAcceptBy(AcceptBy.caller);
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace("calls")
                .build());
        return client.resource(call).create().getMetadata().getName();
    }

    @Test
    void firstWriterWinsAndLaterWritersSeeIt() {
        String name = createCall("wacid.first");
        var worker = new CallEnds(client, "media-worker/w-0", Clock.systemUTC());
        var operator = new CallEnds(client, "operator", Clock.systemUTC());

        var first = worker.end("calls", name, EndReason.AgentHangup, "goodbye");
        var second = operator.end("calls", name, EndReason.WorkerLost, "pod gone");

        assertThat(first).get().satisfies(e -> assertThat(e.getReason()).isEqualTo(EndReason.AgentHangup));
        assertThat(second).get().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo(EndReason.AgentHangup);
            assertThat(e.getBy()).isEqualTo("media-worker/w-0");
        });
        var stored = client.resources(VoiceCall.class)
                .inNamespace("calls")
                .withName(name)
                .get();
        assertThat(stored.getStatus().getEnd().getReason()).isEqualTo(EndReason.AgentHangup);
        assertThat(stored.getSpec().getCallId()).isEqualTo("wacid.first");
    }

    @Test
    void concurrentEndersAgreeOnOneEnd() throws Exception {
        String name = createCall("wacid.race");
        EndReason[] reasons = {EndReason.CallerHangup, EndReason.WorkerLost, EndReason.MaxDuration, EndReason.IceFailed
        };
        List<Callable<EndReason>> racers = new ArrayList<>();
        for (EndReason r : reasons) {
            var enders = new CallEnds(client, "writer-" + r, Clock.systemUTC());
            racers.add(() -> enders.end("calls", name, r, null).orElseThrow().getReason());
        }
        try (var pool = Executors.newFixedThreadPool(reasons.length)) {
            List<EndReason> seen = new ArrayList<>();
            for (Future<EndReason> f : pool.invokeAll(racers)) {
                seen.add(f.get());
            }
            var stored = client.resources(VoiceCall.class)
                    .inNamespace("calls")
                    .withName(name)
                    .get();
            assertThat(seen).containsOnly(stored.getStatus().getEnd().getReason());
        }
    }

    @Test
    void missingCallIsEmpty() {
        assertThat(new CallEnds(client, "operator", Clock.systemUTC())
                        .end("calls", "wa-nope", EndReason.ApiHangup, null))
                .isEmpty();
    }
}
