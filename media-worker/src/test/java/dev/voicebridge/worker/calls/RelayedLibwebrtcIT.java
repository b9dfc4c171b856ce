package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.testkit.realtime.RealtimeCall;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import dev.voicebridge.worker.webrtc.WebRtcPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A relayed call whose caller is a real libwebrtc peer (Google's stack, as in WhatsApp's and
 * browsers' clients), not our synthetic phone: its offer (full ICE, {@code actpass}, a send-recv
 * Opus stream with its own extensions and RTCP) through the whole worker, the caller's Opus
 * relayed undecoded to the fake model's WebRTC side and the model's back into libwebrtc's NetEq.
 */
@ExtendWith(KubeApiExtension.class)
@Timeout(120)
class RelayedLibwebrtcIT {
    private static final String KEY = "sk-relay-libwebrtc";

    KubernetesClient client;
    WorkerTelemetry telemetry =
            WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()));
    FakeRealtimeServer model;
    RealWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (model != null) {
            model.close();
        }
        telemetry.close();
    }

    private static boolean hears(short[] pcm, int hz) {
        return pcm.length >= 24_000 / 5
                && AudioAnalysis.dominant(pcm, 0, pcm.length, 24_000, 300, 440, 660, 880)
                                .hz()
                        == hz;
    }

    @Test
    void aLibwebrtcCallerAndTheModelHearEachOtherThroughTheRelay() throws Exception {
        TestNetwork.requireNamespace();
        model = FakeRealtimeServer.start(KEY)
                .greetWith(ResponseAudio.tone(660, 1500))
                .respondWith(ResponseAudio.tone(440, 1500));
        worker = RelayedCallIT.relayingWorker(client, telemetry, model, KEY);
        worker.assigned.start();
        String callId = "wacid.relay-libwebrtc";
        try (var peer = new WebRtcPeer()) {
            worker.create(callId, AcceptBy.caller, peer.offer(), Map.of());
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> worker.get(callId).getStatus().getMedia().getSdpAnswer() != null);
            peer.answer(worker.get(callId).getStatus().getMedia().getSdpAnswer());
            peer.connected.get(15, TimeUnit.SECONDS);
            peer.startSending();
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            model.calls().size() == 1 && model.calls().get(0).sidebandConnected());
            RealtimeCall call = model.calls().get(0);

            peer.startRecording();
            worker.accepted(callId, AcceptBy.caller);
            // The greeting, spoken by the model's peer as Opus, through libwebrtc's NetEq.
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(peer.recording(), 660));

            // The caller speaks: the model hears libwebrtc's Opus, undecoded by the worker, and
            // the caller hears its answer.
            peer.play(PcmSource.of(Signals.tone(300, 0.3, 1500)));
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(call.heard(), 300));
            peer.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(peer.recording(), 440));

            var media = worker.get(callId).getStatus().getMedia();
            assertThat(media.getPacketsIn()).isPositive();
            assertThat(media.getPacketsOut()).isPositive();

            worker.hangUp(callId, EndReason.ApiHangup);
            await().atMost(Duration.ofSeconds(10)).until(call::hungUp);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> worker.media.transports().isEmpty()
                            && worker.media.port().legCount() == 0);
        }
    }
}
