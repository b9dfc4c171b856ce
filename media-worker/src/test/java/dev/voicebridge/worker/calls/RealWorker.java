package dev.voicebridge.worker.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.Greeting;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppAction;
import dev.voicebridge.api.v1alpha1.WhatsAppStatus;
import dev.voicebridge.testkit.net.TestNetwork;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.agent.Prices;
import dev.voicebridge.worker.ice.IceConfig;
import dev.voicebridge.worker.providers.ModelProviders;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import dev.voicebridge.worker.webrtc.TransportConfig;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The worker's production call path for tests: its Kubernetes side against the in-memory Kubernetes API, the
 * real call engine (ICE, DTLS-SRTP, pipeline, embedded agent with a greeting) on the test
 * namespace's worker address, and a host for synthetic phones. Also plays the other writers of a
 * VoiceCall: the signaling service (create, accepted, hang-up) and the operator (WhatsApp's accept).
 */
final class RealWorker implements AutoCloseable {
    static final String NS = "calls";
    static final String POD = "media-worker-0";

    final KubernetesClient client;
    final WebRtcHost media;
    final PhoneHost phones;
    final AssignedCalls assigned;

    RealWorker(KubernetesClient client, WorkerTelemetry telemetry, Function<Prices, AgentObserver> agentMetrics)
            throws Exception {
        this(client, telemetry, agentMetrics, ModelProviders.DEFAULTS, spec -> {});
    }

    /**
     * @param providers the worker's model settings (where OpenAI is)
     * @param agentSpec adds to the default agent's spec (a greeting without lead-in)
     */
    RealWorker(
            KubernetesClient client,
            WorkerTelemetry telemetry,
            Function<Prices, AgentObserver> agentMetrics,
            ModelProviders providers,
            Consumer<VoiceAgentSpec> agentSpec)
            throws Exception {
        TestNetwork.requireNamespace();
        this.client = client;
        var spec = new VoiceAgentSpec();
        var greeting = new Greeting();
        greeting.setInstructions("Greet the caller.");
        greeting.setLeadInMillis(0);
        spec.setGreeting(greeting);
        agentSpec.accept(spec);
        var agent = new VoiceAgent(spec);
        agent.setMetadata(
                new ObjectMetaBuilder().withName("default").withNamespace(NS).build());
        client.resource(agent).create();

        media = mediaHost();
        phones = PhoneHost.start();
        var engine = new WorkerCallEngine(media, AgentConfig.DEFAULTS, providers, new ObjectMapper(), agentMetrics);
        assigned = new AssignedCalls(
                client,
                engine,
                new AssignedCalls.Settings(POD, NS, Duration.ofSeconds(1), Duration.ofHours(4)),
                Clock.systemUTC(),
                telemetry.calls());
    }

    /** The worker's media host on the test namespace's worker address, with short ICE timers. */
    static WebRtcHost mediaHost() throws IOException {
        return WebRtcHost.start(TransportConfig.defaults()
                .withEndpoint(TestNetwork.WORKER, 0, List.of())
                .withIce(new IceConfig(
                        Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(3)))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    /** Creates the call as the signaling service would, assigned to this worker. */
    VoiceCall create(String callId, AcceptBy acceptBy, String sdpOffer, Map<String, String> annotations) {
        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(acceptBy == AcceptBy.caller ? CallSource.api : CallSource.whatsapp);
        spec.setAcceptBy(acceptBy);
        spec.setAgentRef("default");
        spec.setSdpOffer(sdpOffer);
        var resource = new VoiceCall(spec);
        resource.setMetadata(new ObjectMetaBuilder()
                .withName(CallNames.forCallId(callId))
                .withNamespace(NS)
                .withLabels(Map.of(Labels.WORKER, POD))
                .withAnnotations(new HashMap<>(annotations))
                .build());
        return client.resource(resource).create();
    }

    VoiceCall get(String callId) {
        return resource(callId).get();
    }

    /**
     * The accepted signal of the call's mode: in API mode the call API's annotation (the client's
     * accept with WhatsApp returned), in bridge mode the operator's record of WhatsApp's accept.
     */
    void accepted(String callId, AcceptBy acceptBy) {
        if (acceptBy == AcceptBy.caller) {
            resource(callId)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + Labels.ACCEPTED_ANNOTATION
                                    + "\":\"2026-11-21T09:00:00Z\"}}}");
        } else {
            var accept = new WhatsAppAction();
            accept.setCompletedAt("2026-11-21T09:00:00Z");
            var whatsapp = new WhatsAppStatus();
            whatsapp.setAccept(accept);
            var patch = new VoiceCall();
            patch.statusOrNew().setWhatsapp(whatsapp);
            resource(callId).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        }
    }

    /** A hang-up request as the call API or the webhook writes it (a merge patch of the spec). */
    void hangUp(String callId, EndReason reason) {
        resource(callId)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"hangup\":{\"reason\":\"" + reason.name() + "\"}}}");
    }

    /** Ends the call as the operator does: its end and the terminal phase, on the status. */
    void endAsTheOperator(String callId, EndReason reason) {
        var end = new CallEnd();
        end.setReason(reason);
        end.setBy("operator");
        end.setAt("2026-11-21T09:00:00Z");
        var patch = new VoiceCall();
        patch.statusOrNew().setEnd(end);
        patch.getStatus().setPhase(reason.terminalPhase());
        resource(callId).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    private Resource<VoiceCall> resource(String callId) {
        return client.resources(VoiceCall.class).inNamespace(NS).withName(CallNames.forCallId(callId));
    }

    @Override
    public void close() {
        assigned.close();
        phones.close();
        media.close();
    }
}
