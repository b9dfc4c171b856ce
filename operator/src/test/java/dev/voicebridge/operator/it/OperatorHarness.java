package dev.voicebridge.operator.it;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.operator.VoiceBridgeOperator;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.operator.config.OperatorConfig;
import dev.voicebridge.operator.lifecycle.CallPatcher;
import dev.voicebridge.testkit.graph.FakeGraphApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One operator against the in-memory Kubernetes API (testkit's {@code KubeApiExtension}; CRDs
 * installed) and the fake Graph API, with helpers that play the
 * media worker (pods, status.media, status.end) the way the real worker does.
 */
final class OperatorHarness implements AutoCloseable {
    static final String NAMESPACE = "test";
    static final String PHONE = "106540352242922";
    static final String TOKEN = "EAAG-test-token";
    static final String SDP_ANSWER = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE audio\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:Ab/c\r\na=ice-pwd:x+y/z=\r\na=setup:active\r\na=mid:audio\r\na=rtcp-mux\r\n"
            + "a=rtpmap:111 opus/48000/2\r\na=end-of-candidates\r\n";

    final KubernetesClient client;
    final FakeGraphApi graph;
    final CallPatcher patcher;
    final CallEnds ender;
    private VoiceBridgeOperator operator;

    OperatorHarness(KubernetesClient client) {
        this.client = client;
        this.graph = FakeGraphApi.start(TOKEN);
        this.patcher = new CallPatcher(client);
        this.ender = new CallEnds(client, "operator", Clock.systemUTC());
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("whatsapp")
                        .endMetadata()
                        .addToData(
                                "token",
                                java.util.Base64.getEncoder()
                                        .encodeToString(TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .build())
                .create();
        var agentSpec = new VoiceAgentSpec();
        agentSpec.setPhoneNumberIds(List.of(PHONE));
        agentSpec.setMaxCallDurationSeconds(3600);
        var ref = new SecretKeyRef();
        ref.setName("whatsapp");
        ref.setKey("token");
        agentSpec.setWhatsappAccessTokenSecret(ref);
        var agent = new VoiceAgent();
        agent.setMetadata(new ObjectMetaBuilder()
                .withName("support")
                .withNamespace(NAMESPACE)
                .build());
        agent.setSpec(agentSpec);
        client.resources(VoiceAgent.class)
                .inNamespace(NAMESPACE)
                .resource(agent)
                .create();
    }

    /** Test defaults: short timers so every timeout is seconds, never minutes. */
    static Map<ConfigKey, String> fastConfig() {
        Map<ConfigKey, String> config = new EnumMap<>(ConfigKey.class);
        config.put(ConfigKey.VOICEBRIDGE_NAMESPACES, NAMESPACE);
        config.put(ConfigKey.VOICEBRIDGE_HTTP_PORT, "0");
        config.put(ConfigKey.VOICEBRIDGE_LEADER_ELECTION, "false");
        config.put(ConfigKey.VOICEBRIDGE_WORKER_CAPACITY, "10");
        config.put(ConfigKey.VOICEBRIDGE_PENDING_TIMEOUT, "60s");
        config.put(ConfigKey.VOICEBRIDGE_PLACEMENT_RETRY, "200ms");
        config.put(ConfigKey.VOICEBRIDGE_CONNECT_TIMEOUT, "60s");
        config.put(ConfigKey.VOICEBRIDGE_WORKER_LOST_GRACE, "1s");
        config.put(ConfigKey.VOICEBRIDGE_HANGUP_GRACE, "2s");
        config.put(ConfigKey.VOICEBRIDGE_GRAPH_TIMEOUT, "500ms");
        config.put(ConfigKey.VOICEBRIDGE_GRAPH_BACKOFF, "50ms");
        config.put(ConfigKey.VOICEBRIDGE_GRAPH_BACKOFF_MAX, "200ms");
        config.put(ConfigKey.VOICEBRIDGE_GRAPH_MAX_ATTEMPTS, "4");
        return config;
    }

    VoiceBridgeOperator start(Map<ConfigKey, String> overrides) {
        return start(overrides, OpenTelemetry.noop());
    }

    VoiceBridgeOperator start(Map<ConfigKey, String> overrides, OpenTelemetry telemetry) {
        Map<ConfigKey, String> config = fastConfig();
        config.putAll(overrides);
        config.put(ConfigKey.VOICEBRIDGE_GRAPH_BASE_URL, graph.baseUri().toString());
        operator = new VoiceBridgeOperator(OperatorConfig.of(config), client, Clock.systemUTC(), telemetry);
        operator.start();
        return operator;
    }

    VoiceBridgeOperator start() {
        return start(Map.of());
    }

    /** Stops the running operator (a crash or a rollout); the resources stay. */
    void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    VoiceBridgeOperator operator() {
        return operator;
    }

    @Override
    public void close() {
        stopOperator();
        graph.close();
    }

    // ---- media workers ----

    Pod worker(String name, int capacity, boolean ready) {
        return worker(name, capacity, ready, null);
    }

    Pod worker(String name, int capacity, boolean ready, String zone) {
        var builder = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .addToLabels(Labels.COMPONENT, Labels.COMPONENT_MEDIA_WORKER)
                .addToAnnotations(Labels.WORKER_CAPACITY_ANNOTATION, String.valueOf(capacity))
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-" + name)
                .addNewContainer()
                .withName("worker")
                .withImage("voicebridge/media-worker")
                .endContainer()
                .endSpec();
        if (zone != null) {
            builder.editMetadata()
                    .addToLabels("topology.kubernetes.io/zone", zone)
                    .endMetadata();
        }
        Pod created =
                client.pods().inNamespace(NAMESPACE).resource(builder.build()).create();
        setReady(name, ready);
        return created;
    }

    void setReady(String name, boolean ready) {
        setReady(name, ready, Instant.now());
    }

    /** The pod's Ready condition, as the kubelet writes it: its state and when it last changed. */
    void setReady(String name, boolean ready, Instant since) {
        client.pods().inNamespace(NAMESPACE).withName(name).editStatus(pod -> new PodBuilder(pod)
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withLastTransitionTime(since.toString())
                .endCondition()
                .endStatus()
                .build());
    }

    void setDraining(String name) {
        client.pods().inNamespace(NAMESPACE).withName(name).edit(pod -> new PodBuilder(pod)
                .editMetadata()
                .addToAnnotations(Labels.WORKER_DRAINING_ANNOTATION, "true")
                .endMetadata()
                .build());
    }

    void deleteWorker(String name) {
        client.pods().inNamespace(NAMESPACE).withName(name).withGracePeriod(0).delete();
    }

    // ---- calls ----

    VoiceCall call(String callId, AcceptBy acceptBy) {
        return call(callId, acceptBy, null);
    }

    VoiceCall call(String callId, AcceptBy acceptBy, Integer maxDurationSeconds) {
        return call(callId, acceptBy, maxDurationSeconds, null);
    }

    VoiceCall call(String callId, AcceptBy acceptBy, Integer maxDurationSeconds, Map<String, String> annotations) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(acceptBy == AcceptBy.bridge ? CallSource.whatsapp : CallSource.api);
        spec.setAcceptBy(acceptBy);
        spec.setPhoneNumberId(PHONE);
        spec.setCaller("447700900123");
        spec.setCallerDisplay("+44*******123");
        spec.setSdpOffer("v=0\r\ns=offer\r\n");
        spec.setMaxDurationSeconds(maxDurationSeconds);
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace(NAMESPACE)
                .withAnnotations(annotations)
                .build());
        return client.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .resource(call)
                .create();
    }

    VoiceCall get(String callId) {
        return client.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .withName(CallNames.forCallId(callId))
                .get();
    }

    /**
     * An upper bound, not a timing assertion: generous because a restarted operator re-lists and
     * re-elects before it acts, which takes seconds on a loaded 2-core CI machine.
     */
    VoiceCall await(String callId, Predicate<VoiceCall> condition) {
        return await(callId, condition, Duration.ofSeconds(30));
    }

    VoiceCall await(String callId, Predicate<VoiceCall> condition, Duration atMost) {
        return org.awaitility.Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> get(callId), c -> c != null && condition.test(c));
    }

    VoiceCall awaitPhase(String callId, CallPhase phase) {
        return await(callId, c -> c.phase() == phase);
    }

    static String worker(VoiceCall call) {
        return call.getStatus() == null || call.getStatus().getAssignment() == null
                ? null
                : call.getStatus().getAssignment().getWorker();
    }

    /** The worker writes its SDP answer, as media-worker does once ICE/DTLS are prepared. */
    void answer(String callId) {
        var media = new MediaStatus();
        media.setAttempt(get(callId).getStatus().getAssignment().getAttempt());
        media.setSdpAnswer(SDP_ANSWER);
        media.setAnsweredAt(Instant.now().toString());
        media.setDtlsState("New");
        patchMedia(callId, media);
    }

    /** The worker's next stats write once DTLS is up, as media-worker's {@code MediaStatusMapper} makes it. */
    void dtlsConnected(String callId) {
        var media = new MediaStatus();
        media.setAttempt(get(callId).getStatus().getAssignment().getAttempt());
        media.setDtlsState("Connected");
        media.setSrtpProfile("AES128_CM_HMAC_SHA1_80");
        media.setUpdatedAt(Instant.now().toString());
        patchMedia(callId, media);
    }

    /**
     * The worker released media (the accept of media mode: the caller's first authenticated
     * packet) and wrote it at once, as media-worker's {@code TrackedCall} does.
     */
    void mediaStarted(String callId) {
        var media = new MediaStatus();
        media.setAttempt(get(callId).getStatus().getAssignment().getAttempt());
        media.setDtlsState("Connected");
        media.setSrtpProfile("AES128_CM_HMAC_SHA1_80");
        media.setMediaStartedAt(Instant.now().toString());
        media.setUpdatedAt(Instant.now().toString());
        patchMedia(callId, media);
    }

    private void patchMedia(String callId, MediaStatus media) {
        var patch = patcher.statusPatch();
        patch.set("media", patcher.json().valueToTree(media));
        patcher.patchStatus(get(callId), patch, false);
    }

    /** The call API's client confirms it accepted the call with WhatsApp (caller mode). */
    void confirmAccepted(String callId) {
        client.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .withName(CallNames.forCallId(callId))
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + Labels.ACCEPTED_ANNOTATION + "\":\"" + Instant.now()
                                + "\"}}}");
    }

    /** Someone (signaling, the API) asks for the call to end. */
    void hangup(String callId, EndReason reason) {
        var request = new HangupRequest();
        request.setReason(reason);
        request.setRequestedAt(Instant.now().toString());
        var doc = patcher.json().createObjectNode();
        doc.putObject("spec").set("hangup", patcher.json().valueToTree(request));
        client.resources(VoiceCall.class)
                .inNamespace(NAMESPACE)
                .withName(CallNames.forCallId(callId))
                .patch(PatchContext.of(PatchType.JSON_MERGE), doc.toString());
    }

    /** The worker ends the call (it obeys spec.hangup, or its agent hung up). */
    void workerEnds(String callId, EndReason reason) {
        VoiceCall call = get(callId);
        new CallEnds(client, "media-worker/" + worker(call), Clock.systemUTC())
                .end(call, reason, "ended by the worker");
    }

    /** Connected through the whole bridge flow. */
    VoiceCall connect(String callId) {
        call(callId, AcceptBy.bridge);
        await(
                callId,
                c -> worker(c) != null
                        && Labels.WORKER != null
                        && worker(c).equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        answer(callId);
        await(
                callId,
                c -> c.getStatus().getWhatsapp() != null
                        && c.getStatus().getWhatsapp().getPreAccept() != null
                        && c.getStatus().getWhatsapp().getPreAccept().getCompletedAt() != null);
        dtlsConnected(callId);
        return awaitPhase(callId, CallPhase.Connected);
    }
}
