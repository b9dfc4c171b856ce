package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which Secrets the worker uses for what: a tool's bearer token only from a Secret labelled for
 * tool use, so naming the OpenAI-key Secret as a tool token gets nothing; a Secret RBAC does not
 * grant is a clear call-setup failure (the agent is invalid) or an unavailable tool token, never an
 * exception.
 */
@EnableKubernetesMockClient
class AgentSecretsTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private void serveSecret(String name, Map<String, String> labels) {
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/calls/secrets/" + name)
                .andReturn(
                        200,
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace("calls")
                                .withLabels(labels)
                                .endMetadata()
                                .withData(Map.of(
                                        "token",
                                        Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))))
                                .build())
                .always();
    }

    private void forbidSecret(String name) {
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/calls/secrets/" + name)
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("secrets \"" + name + "\" is forbidden")
                                .build())
                .always();
    }

    private static SecretKeyRef ref(String name) {
        var ref = new SecretKeyRef();
        ref.setName(name);
        ref.setKey("token");
        return ref;
    }

    @Test
    void aToolTokenComesOnlyFromASecretLabelledForTools() {
        serveSecret("booking", Map.of(Labels.TOOL_SECRET, "true"));
        serveSecret("openai", Map.of());
        serveSecret("mislabelled", Map.of(Labels.TOOL_SECRET, "yes"));
        forbidSecret("not-granted");
        var resolver = new AgentResolver(client);
        assertThat(resolver.readToolSecret("calls", ref("booking"))).isEqualTo("s3cret");
        assertThat(resolver.readToolSecret("calls", ref("openai"))).isNull();
        assertThat(resolver.readToolSecret("calls", ref("mislabelled"))).isNull();
        assertThat(resolver.readToolSecret("calls", ref("not-granted"))).isNull();
        assertThat(resolver.readToolSecret("calls", ref("missing"))).isNull();
    }

    @Test
    void anOpenAiKeySecretTheWorkerMayNotReadEndsTheCallAgentInvalid() {
        var spec = new VoiceAgentSpec();
        var key = new SecretKeyRef();
        key.setName("not-granted");
        key.setKey("api-key");
        spec.setOpenaiApiKeySecret(key);
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName("support");
        agent.getMetadata().setNamespace("calls");
        server.expect()
                .get()
                .withPath("/apis/voicebridge.dev/v1alpha1/namespaces/calls/voiceagents/support")
                .andReturn(200, agent)
                .always();
        forbidSecret("not-granted");

        var callSpec = new VoiceCallSpec();
        callSpec.setCallId("wacid.S");
        callSpec.setSource(CallSource.api);
        callSpec.setAcceptBy(AcceptBy.caller);
        callSpec.setAgentRef("support");
        var call = new VoiceCall(callSpec);
        call.getMetadata().setName("wa-s");
        call.getMetadata().setNamespace("calls");

        assertThatThrownBy(() -> new AgentResolver(client).resolve(call))
                .isInstanceOfSatisfying(CallEngine.CallSetupException.class, e -> assertThat(e.reason())
                        .isEqualTo(EndReason.AgentInvalid))
                .hasMessage("VoiceAgent support is invalid (SecretMissing): openaiApiKeySecret: Secret 'not-granted'"
                        + " cannot be read (HTTP 403): voicebridge is granted only the Secrets the chart's"
                        + " agentSecrets names");
    }
}
