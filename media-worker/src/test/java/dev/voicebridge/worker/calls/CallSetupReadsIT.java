package dev.voicebridge.worker.calls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a call's setup costs the API server: once the worker has started, its agent and OpenAI-key
 * Secret come from memory (no GET per call, the first call included), a rotated key still applies
 * to the next call, and the answer is written at once, not with the periodic status update (here
 * a minute apart).
 */
@ExtendWith(KubeApiExtension.class)
class CallSetupReadsIT {
    static final String NS = "calls";
    static final String POD = "media-worker-0";

    KubernetesClient client;
    InMemoryKubeApi kube;
    AssignedCallsIT.RecordingEngine engine = new AssignedCallsIT.RecordingEngine();
    WorkerTelemetry telemetry =
            WorkerTelemetry.withProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()));
    AssignedCalls assigned;
    final List<RecordedRequest> startUp = new ArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        client.resource(secret("sk-first")).create();
        var key = new SecretKeyRef();
        key.setName("openai");
        key.setKey("api-key");
        var spec = new VoiceAgentSpec();
        spec.setPhoneNumberIds(List.of("1065"));
        spec.setOpenaiApiKeySecret(key);
        var agent = new VoiceAgent(spec);
        agent.setMetadata(
                new ObjectMetaBuilder().withName("reception").withNamespace(NS).build());
        client.resource(agent).create();
        assigned = new AssignedCalls(
                client,
                engine,
                new AssignedCalls.Settings(POD, NS, Duration.ofMinutes(1), Duration.ofHours(4)),
                Clock.systemUTC(),
                telemetry.calls());
        assigned.start();
        startUp.addAll(requests()); // start-up's lists and watches are not a call's
    }

    @AfterEach
    void stop() {
        assigned.close();
        telemetry.close();
    }

    private static Secret secret(String key) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName("openai")
                .withNamespace(NS)
                .endMetadata()
                .addToData("api-key", Base64.getEncoder().encodeToString(key.getBytes(UTF_8)))
                .build();
    }

    private void create(String callId, String agentRef) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setPhoneNumberId("1065");
        spec.setAgentRef(agentRef);
        spec.setSdpOffer("v=0\r\n" + callId + "\r\n");
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace(NS)
                .withLabels(Map.of(Labels.WORKER, POD))
                .build());
        client.resource(call).create();
    }

    /** Awaits the answer in the VoiceCall's status (coarse: the periodic update is a minute away). */
    private void awaitAnswer(String callId) {
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        client.resources(VoiceCall.class)
                                .inNamespace(NS)
                                .withName(CallNames.forCallId(callId))
                                .get()
                                .getStatus()
                                .getMedia()
                                .getSdpAnswer())
                .isEqualTo("answer-for-" + callId));
    }

    /** The requests the API server received since the last call, oldest first. */
    private List<RecordedRequest> requests() throws InterruptedException {
        var all = new ArrayList<RecordedRequest>();
        for (RecordedRequest r; (r = kube.takeRequest(50, TimeUnit.MILLISECONDS)) != null; ) {
            all.add(r);
        }
        return all;
    }

    /** Single reads and lists of agents and Secrets, not the informers' watches. */
    private static List<String> agentAndSecretReads(List<RecordedRequest> requests) {
        return requests.stream()
                .filter(r -> r.getMethod().equals("GET"))
                .map(RecordedRequest::getPath)
                .filter(path -> path.contains("/voiceagents") || path.contains("/secrets"))
                .filter(path -> !path.contains("watch=true"))
                .toList();
    }

    @Test
    void callsAfterStartReadTheirAgentAndKeyFromMemory() throws InterruptedException {
        create("wacid.first", null);
        awaitAnswer("wacid.first");
        create("wacid.named", "reception");
        awaitAnswer("wacid.named");

        assertThat(agentAndSecretReads(requests())).isEmpty();
        assertThat(engine.setups.get(CallNames.forCallId("wacid.first")).openAiApiKey())
                .contains("sk-first");
        assertThat(engine.setups.get(CallNames.forCallId("wacid.named")).openAiApiKey())
                .contains("sk-first");
    }

    @Test
    void startUpSendsTheAnswerWritesRequestToAnAbsentCallAndWritesNothing() {
        String warmUp = "/apis/voicebridge.dev/v1alpha1/namespaces/" + NS + "/voicecalls/voicebridge-warm-up/status";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            startUp.addAll(requests());
            assertThat(startUp)
                    .anyMatch(r -> r.getMethod().equals("PATCH") && r.getPath().equals(warmUp));
        });
        assertThat(client.resources(VoiceCall.class).inNamespace(NS).list().getItems())
                .isEmpty();
        assertThat(assigned.statusWrites()).isZero();
        assertThat(assigned.statusWriteFailures()).isZero();
    }

    @Test
    void aSecretRbacDoesNotLetItWatchIsReadPerCallAsBefore() throws InterruptedException {
        assigned.close();
        // The chart before list/watch on the worker's Secrets: only get by name is granted.
        kube.respond(
                "GET",
                "/api/v1/namespaces/" + NS + "/secrets",
                403,
                new StatusBuilder()
                        .withCode(403)
                        .withReason("Forbidden")
                        .withMessage("secrets is forbidden: list")
                        .build());
        assigned = new AssignedCalls(
                client,
                engine,
                new AssignedCalls.Settings(POD, NS, Duration.ofMinutes(1), Duration.ofHours(4)),
                Clock.systemUTC(),
                telemetry.calls());
        assigned.start();
        requests();

        create("wacid.forbidden", null);
        awaitAnswer("wacid.forbidden");

        assertThat(engine.setups.get(CallNames.forCallId("wacid.forbidden")).openAiApiKey())
                .contains("sk-first");
        assertThat(agentAndSecretReads(requests())).containsExactly("/api/v1/namespaces/" + NS + "/secrets/openai");
    }

    @Test
    void aRotatedKeyAppliesToTheNextCall() throws InterruptedException {
        client.resource(secret("sk-second")).update();
        requests(); // the update's own
        // The next call after the rotation reached the worker's watch gets the new key.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String callId = "wacid.rotated-" + System.nanoTime();
            create(callId, null);
            awaitAnswer(callId);
            assertThat(engine.setups.get(CallNames.forCallId(callId)).openAiApiKey())
                    .contains("sk-second");
        });
        assertThat(agentAndSecretReads(requests())).isEmpty();
    }
}
