package dev.voicebridge.operator.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
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
 * The WhatsApp token is read from the Secret the call's agent names. The chart grants the operator
 * only the Secrets listed in its values: one it may not read is "no token" (the call then fails
 * with a WhatsApp error), not an exception that fails every reconcile of the call.
 */
@EnableKubernetesMockClient
class AgentDirectoryTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private static VoiceAgent agentUsing(String tokenSecret) {
        var spec = new VoiceAgentSpec();
        var ref = new SecretKeyRef();
        ref.setName(tokenSecret);
        ref.setKey("access-token");
        spec.setWhatsappAccessTokenSecret(ref);
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName("support");
        agent.getMetadata().setNamespace("calls");
        return agent;
    }

    @Test
    void readsTheTokenOfTheAgentsSecret() {
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/calls/secrets/whatsapp")
                .andReturn(
                        200,
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("whatsapp")
                                .endMetadata()
                                .withData(Map.of(
                                        "access-token",
                                        Base64.getEncoder()
                                                .encodeToString("EAAG-token\n".getBytes(StandardCharsets.UTF_8))))
                                .build())
                .always();
        assertThat(new AgentDirectory(client).accessToken("calls", agentUsing("whatsapp")))
                .hasValue("EAAG-token");
    }

    @Test
    void aSecretTheOperatorMayNotReadIsNoToken() {
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/calls/secrets/someone-elses")
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("secrets \"someone-elses\" is forbidden")
                                .build())
                .always();
        assertThat(new AgentDirectory(client).accessToken("calls", agentUsing("someone-elses")))
                .isEmpty();
    }
}
