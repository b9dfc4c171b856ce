package dev.voicebridge.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.agent.SecretCheck;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentReadinessTest {
    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    @Test
    void aValidAgentIsReadyWithItsApiAndModel() {
        var result = AgentValidation.validate(new VoiceAgentSpec(), SecretCheck.NONE);
        var status = AgentReadiness.desired(null, result, 3L, T0);
        var ready = status.getConditions().getFirst();
        assertThat(ready.getType()).isEqualTo("Ready");
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("Valid");
        assertThat(ready.getMessage()).isEqualTo("api realtime, model gpt-realtime-2.1");
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        assertThat(ready.getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertThat(status.getApi()).isEqualTo("realtime");
        assertThat(status.getModel()).isEqualTo("gpt-realtime-2.1");
    }

    @Test
    void anInvalidAgentIsNotReadyWithTheReasonAndTheTransitionMovesOnlyOnAChange() {
        var spec = new VoiceAgentSpec();
        spec.setApi("gemini-live");
        var invalid = AgentValidation.validate(spec, SecretCheck.NONE);
        var first = AgentReadiness.desired(null, invalid, 1L, T0);
        assertThat(first.getConditions().getFirst().getStatus()).isEqualTo("False");
        assertThat(first.getConditions().getFirst().getReason()).isEqualTo("UnknownApi");
        assertThat(first.getApi()).isNull();
        assertThat(first.getModel()).isNull();

        // validated again later, unchanged: nothing to write
        var again = AgentReadiness.desired(first, invalid, 1L, T0.plusSeconds(30));
        assertThat(AgentReadiness.same(first, again)).isTrue();

        // fixed in generation 2: Ready, with a new transition time
        var fixed = AgentReadiness.desired(
                first, AgentValidation.validate(new VoiceAgentSpec(), SecretCheck.NONE), 2L, T0.plusSeconds(60));
        assertThat(AgentReadiness.same(first, fixed)).isFalse();
        assertThat(fixed.getConditions().getFirst().getLastTransitionTime())
                .isEqualTo(T0.plusSeconds(60).toString());
    }
}
