package dev.voicebridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.agent.AgentValidation;
import dev.voicebridge.api.agent.SecretCheck;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The examples in crds/examples are complete resources: they survive the model unchanged. */
class ExamplesRoundTripTest {
    static final Path EXAMPLES = Path.of("..", "crds", "examples");

    static String read(String file) throws IOException {
        return Files.readString(EXAMPLES.resolve(file));
    }

    @Test
    void voiceCallRoundTripsWithoutLoss() throws IOException {
        String yaml = read("voicecall.yaml");
        VoiceCall call = Serialization.unmarshal(yaml, VoiceCall.class);
        assertSameTree(yaml, call);
        assertThat(call.getSpec().getSource()).isEqualTo(CallSource.whatsapp);
        assertThat(call.getStatus().getEnd().getReason()).isEqualTo(EndReason.CallerHangup);
        assertThat(call.getStatus().getAgent().getTranscript()).hasSize(2);
        assertThat(call.getMetadata().getName())
                .isEqualTo(CallNames.forCallId(call.getSpec().getCallId()));
    }

    @Test
    void anOutboundVoiceCallRoundTripsWithoutLoss() throws IOException {
        String yaml = read("voicecall-outbound.yaml");
        VoiceCall call = Serialization.unmarshal(yaml, VoiceCall.class);
        assertSameTree(yaml, call);
        assertThat(call.getSpec().isOutbound()).isTrue();
        assertThat(call.getSpec().getSdpAnswer()).startsWith("v=0\r\n");
        assertThat(call.getStatus().getMedia().getSdpOffer()).contains("a=setup:actpass");
        assertThat(call.getStatus().getWhatsapp().getPermission().getStatus()).isEqualTo("temporary");
        assertThat(call.getMetadata().getName())
                .isEqualTo(CallNames.forCallId(call.getSpec().getCallId()));
    }

    @Test
    void voiceAgentRoundTripsWithoutLoss() throws IOException {
        String yaml = read("voiceagent.yaml");
        VoiceAgent agent = Serialization.unmarshal(yaml, VoiceAgent.class);
        assertSameTree(yaml, agent);
        assertThat(agent.getSpec().getTools())
                .extracting(AgentTool::getType)
                .containsExactly(ToolType.builtin, ToolType.http);
        assertThat(agent.getSpec().getTools().get(1).getParameters().get("required"))
                .hasSize(2);
        assertThat(AgentValidation.validate(agent.getSpec(), SecretCheck.NONE).message())
                .isEqualTo("api realtime, model gpt-realtime-2.1");
    }

    @Test
    void theLiveVoiceAgentRoundTripsAndIsValid() throws IOException {
        String yaml = read("voiceagent-live.yaml");
        VoiceAgent agent = Serialization.unmarshal(yaml, VoiceAgent.class);
        assertSameTree(yaml, agent);
        var result = AgentValidation.validate(agent.getSpec(), SecretCheck.NONE);
        assertThat(result.problems()).isEmpty();
        assertThat(result.message()).isEqualTo("api live, model gpt-live-1.1");
    }

    private static void assertSameTree(String yaml, Object model) {
        JsonNode original = Serialization.unmarshal(yaml, JsonNode.class);
        JsonNode again = Serialization.jsonMapper().valueToTree(model);
        // Numbers compare by value: YAML reads 2 as an int, the model writes a Long.
        Comparator<JsonNode> numeric = (a, b) ->
                a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
        assertThat(original.equals(numeric, again))
                .as("round trip of%n%s%nvs%n%s", original.toPrettyString(), again.toPrettyString())
                .isTrue();
    }
}
