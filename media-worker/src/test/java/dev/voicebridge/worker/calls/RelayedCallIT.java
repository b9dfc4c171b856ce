package dev.voicebridge.worker.calls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.TurnDetection;
import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import dev.voicebridge.testkit.realtime.RealtimeCall;
import dev.voicebridge.testkit.realtime.ResponseAudio;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.providers.ModelProviders;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import dev.voicebridge.worker.webrtc.WebRtcPeer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls whose agent relays its audio over WebRTC ({@code modelTransport: webrtc}), through the
 * whole worker: the VoiceCall as signaling creates it, a WhatsApp-like phone as the caller, and
 * the fake Realtime service taking the call on its WebRTC calls endpoint (its own peer answering
 * as OpenAI's, {@code a=setup:active}) and steered over its sideband. Asserts what each end hears,
 * what the model was told, and how the call ends on both sides.
 */
@ExtendWith(KubeApiExtension.class)
@Timeout(90)
class RelayedCallIT {
    private static final String KEY = "sk-relay-test";

    KubernetesClient client;
    WorkerTelemetry telemetry =
            WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()));
    FakeRealtimeServer model;
    RealWorker worker;

    void start(String secretValue) throws Exception {
        TestNetwork.requireNamespace();
        model = FakeRealtimeServer.start(KEY)
                .greetWith(ResponseAudio.tone(660, 600))
                .respondWith(ResponseAudio.tone(440, 1000));
        worker = relayingWorker(client, telemetry, model, secretValue);
        worker.assigned.start();
    }

    /**
     * A worker whose default agent relays its calls to {@code model} (its OpenAI key from a Secret
     * holding {@code secretValue}); the model takes the calls on the phones' address.
     */
    static RealWorker relayingWorker(
            KubernetesClient client, WorkerTelemetry telemetry, FakeRealtimeServer model, String secretValue)
            throws Exception {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("openai")
                        .withNamespace(RealWorker.NS)
                        .endMetadata()
                        .addToData("api-key", Base64.getEncoder().encodeToString(secretValue.getBytes(UTF_8)))
                        .build())
                .create();
        var key = new SecretKeyRef();
        key.setName("openai");
        key.setKey("api-key");
        var worker = new RealWorker(
                client,
                telemetry,
                prices -> AgentObserver.NONE,
                ModelProviders.from(
                        Map.of("voicebridge.realtime.base-url", model.baseUri().toString())::get),
                spec -> {
                    spec.setModelTransport("webrtc");
                    spec.setOpenaiApiKeySecret(key);
                    spec.setInstructions("You are the relay test agent.");
                    var td = new TurnDetection();
                    td.setSilenceDurationMillis(300);
                    spec.setTurnDetection(td);
                });
        model.acceptCalls(worker.phones, new InetSocketAddress(TestNetwork.PHONE, 0));
        return worker;
    }

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

    private SyntheticPhone connect(String callId) throws Exception {
        SyntheticPhone phone =
                worker.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults());
        worker.create(callId, AcceptBy.caller, phone.offer(), Map.of());
        await().ignoreExceptions()
                .atMost(Duration.ofSeconds(20))
                .until(() -> worker.get(callId).getStatus().getMedia().getSdpAnswer() != null);
        phone.acceptAnswer(worker.get(callId).getStatus().getMedia().getSdpAnswer());
        assertThat(phone.awaitConnected(Duration.ofSeconds(15))).isTrue();
        return phone;
    }

    private static boolean hears(short[] pcm, int hz) {
        return pcm.length >= 24_000 / 5
                && AudioAnalysis.dominant(pcm, 0, pcm.length, 24_000, 300, 440, 660, 880)
                                .hz()
                        == hz;
    }

    @Test
    void theCallerAndTheModelHearEachOtherThroughTheRelayAndTheCallEndsOnBothSides() throws Exception {
        start(KEY);
        String callId = "wacid.relay-both-ways";
        try (SyntheticPhone phone = connect(callId)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> model.calls().size() == 1
                            && model.calls().get(0).sidebandConnected()
                            && !model.sent("session.updated").isEmpty());
            RealtimeCall call = model.calls().get(0);
            // The call was created with the agent's session, and the sideband repeated it: no
            // audio format over WebRTC (the SDP chose Opus).
            assertThat(call.session().path("instructions").asText()).isEqualTo("You are the relay test agent.");
            assertThat(call.session().path("audio").path("input").has("format")).isFalse();
            var update = model.received("session.update").get(0).json().path("session");
            assertThat(update.path("audio").path("output").has("format")).isFalse();
            assertThat(update.path("audio").path("output").path("voice").asText())
                    .isEqualTo("marin");

            // The greeting is asked for while the call is pre-accepted; the model's peer speaks it
            // (and sends from its DTLS up), yet none of it reaches a caller not yet accepted.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> model.received("response.create").size() == 1);
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> phone.mediaDatagramsReceived() == 0);

            phone.startRecording();
            long acceptedAt = System.nanoTime();
            worker.accepted(callId, AcceptBy.caller);
            // The greeting: asked for on the sideband, spoken by the model's peer as Opus, relayed.
            await().pollInterval(Duration.ofMillis(10))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> hears(phone.recording(), 660));
            System.out.printf(
                    "relayed call: the caller heard the greeting (held while pre-accepted) %d ms after the accept"
                            + " was written (lead-in 0)%n",
                    (System.nanoTime() - acceptedAt) / 1_000_000);
            assertThat(model.received("response.create")).hasSize(1);

            // The caller speaks: the model hears it (undecoded by the worker), answers, and the
            // caller hears the answer.
            short[] said = Signals.tone(300, 0.3, 800);
            phone.play(PcmSource.of(said));
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(call.heard(), 300));
            phone.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(phone.recording(), 440));

            // A key press reaches the model as text on the sideband.
            phone.sendDtmf("7");
            await().atMost(Duration.ofSeconds(10)).until(() -> model.received("conversation.item.create").stream()
                    .anyMatch(r -> r.json().toString().contains("7")));

            var media = worker.get(callId).getStatus().getMedia();
            assertThat(media.getPacketsIn()).isPositive();
            assertThat(media.getPacketsOut()).isPositive();

            worker.hangUp(callId, EndReason.ApiHangup);
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> worker.get(callId).getStatus().getEnd() != null);
            assertThat(worker.get(callId).getStatus().getEnd().getReason()).isEqualTo(EndReason.ApiHangup);
            // The model's side ends with it: hung up at OpenAI, both legs gone from the worker.
            await().atMost(Duration.ofSeconds(5)).until(call::hungUp);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> worker.media.transports().isEmpty());
            var agent = worker.get(callId).getStatus().getAgent();
            assertThat(agent.getApi()).isEqualTo("realtime");
            assertThat(agent.getResponses()).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * A relayed call whose caller is a real libwebrtc peer (Google's stack, as in WhatsApp's and
     * browsers' clients), not our synthetic phone: its offer (full ICE, {@code actpass}, a send-recv
     * Opus stream with its own extensions and RTCP) through the whole worker, the caller's Opus
     * relayed undecoded to the fake model's WebRTC side and the model's back into libwebrtc's NetEq.
     */
    @Test
    void aLibwebrtcCallerAndTheModelHearEachOtherThroughTheRelay() throws Exception {
        start(KEY);
        // Longer tones than the synthetic phone needs: libwebrtc's NetEq and playout start slowly.
        model.greetWith(ResponseAudio.tone(660, 1500)).respondWith(ResponseAudio.tone(440, 1500));
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

    @Test
    void aCallOpenAIRefusesEndsAgentUnavailableWithItsReason() throws Exception {
        start("sk-not-the-key");
        String callId = "wacid.relay-refused";
        try (SyntheticPhone phone =
                worker.phones.newPhone(new InetSocketAddress(TestNetwork.PHONE, 0), PhoneOptions.defaults())) {
            // The call is answered (the model's leg opens beside it) and ends as OpenAI refuses.
            worker.create(callId, AcceptBy.caller, phone.offer(), Map.of());
            await().ignoreExceptions()
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> worker.get(callId).getStatus().getEnd() != null);
            var end = worker.get(callId).getStatus().getEnd();
            assertThat(end.getReason()).isEqualTo(EndReason.AgentUnavailable);
            assertThat(end.getMessage()).contains("401").contains("invalid_api_key");
            assertThat(model.calls()).isEmpty();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> worker.media.transports().isEmpty());
            assertThat(worker.media.port().legCount())
                    .as("the refused leg's socket closed")
                    .isZero();
            assertThat(phone.mediaDatagramsReceived()).isZero();
        }
    }

    /**
     * The sideband drops mid-call: the agent reconnects to the same call's session, which kept its
     * conversation, so it repeats the call's first configuration — no "continuing" note and no
     * recent exchange, which would make the model read the conversation twice — and the call goes
     * on, the caller still hearing the model.
     */
    @Test
    void aDroppedSidebandRejoinsTheCallsSessionWithoutSeedingItAgain() throws Exception {
        start(KEY);
        String callId = "wacid.relay-sideband-drop";
        try (SyntheticPhone phone = connect(callId)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            model.calls().size() == 1 && model.calls().get(0).sidebandConnected());
            worker.accepted(callId, AcceptBy.caller);
            phone.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(phone.recording(), 660));
            assertThat(model.received("session.update")).hasSize(1);

            model.dropConnections();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> model.received("session.update").size() == 2);
            var again = model.received("session.update").get(1).json().path("session");
            assertThat(again.path("instructions").asText()).isEqualTo("You are the relay test agent.");
            assertThat(model.received("response.create"))
                    .as("no second greeting")
                    .hasSize(1);

            phone.play(PcmSource.of(Signals.tone(300, 0.3, 800)));
            phone.startRecording();
            await().atMost(Duration.ofSeconds(10)).until(() -> hears(phone.recording(), 440));
            assertThat(worker.get(callId).getStatus().getEnd()).isNull();
        }
    }

    @Test
    void twoRelayedCallsAtOnceStaySeparate() throws Exception {
        start(KEY);
        twoCallsTalkApart();
    }

    /**
     * OpenAI answers every call from one media address and, as a media server on one port does,
     * tells its sessions apart by the remote address: each model leg must leave from a port of its
     * own. With both legs on the worker's shared port, the second leg's checks took the first's
     * address over and the first model heard nothing of its caller.
     */
    @Test
    void twoRelayedCallsToOneModelMediaPortStaySeparate() throws Exception {
        start(KEY);
        model.acceptCallsOnOnePort(worker.phones, new InetSocketAddress(TestNetwork.PHONE, 0));
        twoCallsTalkApart();
        assertThat(model.callsPort().rebound()).isZero();
    }

    private void twoCallsTalkApart() throws Exception {
        model.respondWith(new ResponseAudio.Echo());
        try (SyntheticPhone a = connect("wacid.relay-a");
                SyntheticPhone b = connect("wacid.relay-b")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> model.calls().size() == 2
                            && model.calls().stream().allMatch(RealtimeCall::sidebandConnected));
            worker.accepted("wacid.relay-a", AcceptBy.caller);
            worker.accepted("wacid.relay-b", AcceptBy.caller);
            a.play(PcmSource.of(Signals.tone(300, 0.3, 60_000)));
            b.play(PcmSource.of(Signals.tone(880, 0.3, 60_000)));
            // Each model hears its own caller only.
            await().atMost(Duration.ofSeconds(10)).until(() -> model.calls().stream()
                    .map(c -> hears(c.heard(), 300) ? 300 : hears(c.heard(), 880) ? 880 : 0)
                    .sorted()
                    .toList()
                    .equals(List.of(300, 880)));
            assertThat(worker.media.port().legCount())
                    .as("each model leg has a socket of its own")
                    .isEqualTo(2);
            worker.hangUp("wacid.relay-a", EndReason.ApiHangup);
            worker.hangUp("wacid.relay-b", EndReason.ApiHangup);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> model.calls().stream().allMatch(RealtimeCall::hungUp));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> worker.media.port().legCount() == 0);
        }
    }
}
