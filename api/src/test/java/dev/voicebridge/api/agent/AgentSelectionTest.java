package dev.voicebridge.api.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSelectionTest {
    static VoiceAgent agent(String name, String... numbers) {
        var spec = new VoiceAgentSpec();
        spec.setPhoneNumberIds(List.of(numbers));
        var agent = new VoiceAgent(spec);
        agent.getMetadata().setName(name);
        return agent;
    }

    static VoiceCallSpec call(String agentRef, String phoneNumberId) {
        var spec = new VoiceCallSpec();
        spec.setAgentRef(agentRef);
        spec.setPhoneNumberId(phoneNumberId);
        return spec;
    }

    @Test
    void overlappingAgentsResolveToTheFirstNameWhateverTheListOrder() {
        var sales = agent("sales", "111");
        var support = agent("support", "111", "222");
        assertThat(AgentSelection.forCall(call(null, "111"), List.of(support, sales)))
                .containsSame(sales);
        assertThat(AgentSelection.forCall(call(null, "111"), List.of(sales, support)))
                .containsSame(sales);
        assertThat(AgentSelection.claiming("111", List.of(support, sales))).containsExactly(sales, support);
        assertThat(AgentSelection.forCall(call(null, "222"), List.of(sales, support)))
                .containsSame(support);
        assertThat(AgentSelection.forCall(call(null, "333"), List.of(sales, support)))
                .isEmpty();
    }

    @Test
    void aNamedAgentIsThatOneOrNoneNeverAnotherForTheNumber() {
        var sales = agent("sales", "111");
        assertThat(AgentSelection.forCall(call("sales", "999"), List.of(sales))).containsSame(sales);
        assertThat(AgentSelection.forCall(call("gone", "111"), List.of(sales))).isEmpty();
    }

    @Test
    void secretsAreReadFromDataOnlyAsTheApiServerReturnsThem() {
        var ref = new dev.voicebridge.api.v1alpha1.SecretKeyRef();
        ref.setName("s");
        ref.setKey("k");
        var fromData = new SecretBuilder().addToData("k", "dmFsdWUK").build(); // "value\n"
        var writeOnly = new SecretBuilder().addToStringData("k", "value").build();
        assertThat(SecretValues.value(fromData, ref)).hasValue("value");
        assertThat(SecretValues.value(writeOnly, ref)).isEmpty();
        assertThat(SecretValues.value(null, ref)).isEmpty();
    }
}
