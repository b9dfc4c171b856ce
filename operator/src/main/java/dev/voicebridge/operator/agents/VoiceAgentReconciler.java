package dev.voicebridge.operator.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.agent.SecretCheck;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceAgentStatus;
import dev.voicebridge.operator.lifecycle.ReconcileGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates each VoiceAgent ({@link AgentValidation}: API, model, price table, unsupported
 * fields, referenced Secrets) and writes the result on its own status: observe → validate → write
 * only what changed. The operator is the status's only writer, so it is replaced whole (a JSON
 * patch {@code add /status}: lists are replaced, never merged). The Secrets an agent
 * references are read one by one (never watched: the operator does not cache every Secret of
 * the namespace), so an unchanged agent is validated again every {@code recheck}. The media worker
 * runs the same validation before answering, so a call for an invalid agent ends with
 * AgentInvalid even before this reconciler has seen the change.
 */
public final class VoiceAgentReconciler implements Reconciler<VoiceAgent> {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceAgentReconciler.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration recheck;
    private final ReconcileGate gate;
    private final ObjectMapper json = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    public VoiceAgentReconciler(KubernetesClient client, Clock clock, Duration recheck, ReconcileGate gate) {
        this.client = client;
        this.clock = clock;
        this.recheck = recheck;
        this.gate = gate;
    }

    @Override
    public UpdateControl<VoiceAgent> reconcile(VoiceAgent agent, Context<VoiceAgent> context) {
        if (!gate.enter()) {
            return UpdateControl.noUpdate(); // stopping: a deposed or closing operator writes nothing
        }
        try {
            String ns = agent.getMetadata().getNamespace();
            var spec = agent.getSpec() == null ? new VoiceAgentSpec() : agent.getSpec();
            var result = AgentValidation.validate(spec, (ref, use) -> secretProblem(ns, ref, use));
            var desired = AgentReadiness.desired(
                    agent.getStatus(), result, agent.getMetadata().getGeneration(), clock.instant());
            if (!AgentReadiness.same(agent.getStatus(), desired)) {
                patchStatus(agent, desired);
                if (result.valid()) {
                    LOG.info(LogLine.of(
                            "agent.ready",
                            "agent",
                            ns + "/" + agent.getMetadata().getName(),
                            "api",
                            result.api().name(),
                            "model",
                            result.model()));
                } else {
                    LOG.info(LogLine.of(
                            "agent.invalid",
                            "agent",
                            ns + "/" + agent.getMetadata().getName(),
                            "reason",
                            result.reason()));
                }
            }
            return UpdateControl.<VoiceAgent>noUpdate().rescheduleAfter(recheck);
        } finally {
            gate.exit();
        }
    }

    /**
     * Why the Secret cannot serve its use, or null. The chart grants the operator the Secrets
     * agents may use, by name: one it may not read is one the agent may not use.
     */
    private String secretProblem(String ns, SecretKeyRef ref, SecretCheck.Use use) {
        try {
            return SecretCheck.problemOf(
                    client.secrets().inNamespace(ns).withName(ref.getName()).get(), ref, use);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return SecretCheck.unreadable(ref, 403);
            }
            throw e;
        }
    }

    private void patchStatus(VoiceAgent agent, VoiceAgentStatus status) {
        var ops = json.createArrayNode();
        ops.addObject().put("op", "add").put("path", "/status").set("value", json.valueToTree(status));
        client.resources(VoiceAgent.class)
                .inNamespace(agent.getMetadata().getNamespace())
                .withName(agent.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), ops.toString());
    }
}
