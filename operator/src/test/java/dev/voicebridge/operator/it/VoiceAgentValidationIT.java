package dev.voicebridge.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.PriceTable;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator reports every VoiceAgent's validity on the agent's own status. */
@ExtendWith(KubeApiExtension.class)
class VoiceAgentValidationIT {
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client);
        h.start(Map.of(ConfigKey.VOICEBRIDGE_AGENT_RECHECK, "500ms"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private VoiceAgent create(String name, VoiceAgentSpec spec) {
        var agent = new VoiceAgent(spec);
        agent.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(OperatorHarness.NAMESPACE)
                .build());
        return client.resource(agent).create();
    }

    private VoiceAgent get(String name) {
        return client.resources(VoiceAgent.class)
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(name)
                .get();
    }

    private Condition awaitReady(String name, String status, String reason) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var a = get(name);
            return a.getStatus() != null
                    && a.getStatus().getConditions() != null
                    && a.getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Ready")
                                    && c.getStatus().equals(status)
                                    && c.getReason().equals(reason));
        });
        return get(name).getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theSeededAgentIsReadyOnTheDefaultRealtimeModel() {
        var ready = awaitReady("support", "True", "Valid");
        assertThat(ready.getMessage()).isEqualTo("api realtime, model gpt-realtime-2.1");
        var status = get("support").getStatus();
        assertThat(status.getApi()).isEqualTo("realtime");
        assertThat(status.getModel()).isEqualTo("gpt-realtime-2.1");
        assertThat(status.getObservedGeneration())
                .isEqualTo(get("support").getMetadata().getGeneration());
    }

    @Test
    void aModelOfTheOtherApiIsReportedAndAFixIsSeen() {
        var spec = new VoiceAgentSpec();
        spec.setApi("live");
        spec.setModel("gpt-realtime");
        create("migrating", spec);
        var invalid = awaitReady("migrating", "False", "ModelNotInApi");
        assertThat(invalid.getMessage())
                .isEqualTo("model 'gpt-realtime' does not belong to api live (it is a model of api realtime);"
                        + " live models: gpt-live-1, gpt-live-1.1");
        assertThat(get("migrating").getStatus().getApi()).isEqualTo("live");

        var fixed = get("migrating");
        fixed.getSpec().setModel("gpt-live-1");
        client.resource(fixed).update();
        var ready = awaitReady("migrating", "True", "Valid");
        assertThat(ready.getMessage()).isEqualTo("api live, model gpt-live-1");
        assertThat(get("migrating").getStatus().getObservedGeneration())
                .isEqualTo(get("migrating").getMetadata().getGeneration());
    }

    @Test
    void anUnknownApiAndAPriceTableOfTheOtherBillingModelAreReported() {
        var unknown = new VoiceAgentSpec();
        unknown.setApi("gemini-live");
        create("unknown-api", unknown);
        assertThat(awaitReady("unknown-api", "False", "UnknownApi").getMessage())
                .isEqualTo("api 'gemini-live' is not one voicebridge speaks (realtime, live)");

        var tokensForLive = new VoiceAgentSpec();
        tokensForLive.setApi("live");
        var prices = new PriceTable();
        prices.setAudioOutput(64.0);
        tokensForLive.setPricing(prices);
        create("token-priced-live", tokensForLive);
        assertThat(awaitReady("token-priced-live", "False", "PricingMismatch").getMessage())
                .startsWith("pricing sets audioOutput, which api live does not bill");
    }

    @Test
    void aMissingSecretIsReportedUntilItAppears() {
        var ref = new SecretKeyRef();
        ref.setName("openai");
        ref.setKey("api-key");
        var spec = new VoiceAgentSpec();
        spec.setOpenaiApiKeySecret(ref);
        create("keyless", spec);
        assertThat(awaitReady("keyless", "False", "SecretMissing").getMessage())
                .isEqualTo("openaiApiKeySecret: Secret 'openai' does not exist");

        // the agent did not change: the recheck notices the Secret
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("openai")
                        .withNamespace(OperatorHarness.NAMESPACE)
                        .endMetadata()
                        .addToData("api-key", "c2stdGVzdA==")
                        .build())
                .create();
        awaitReady("keyless", "True", "Valid");
    }
}
