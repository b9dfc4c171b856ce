package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTest {
    @Test
    void theAgentsApiIsRealtimeUnlessVoicebridgeAgentApiSaysLive() {
        assertThat(LocalStack.Settings.fromEnvironment(Map.of()).agentApi()).isEqualTo("realtime");
        var live = LocalStack.Settings.fromEnvironment(
                Map.of("VOICEBRIDGE_AGENT_API", "live", "OPENAI_API_KEY", "sk-local"));
        assertThat(live.agentApi()).isEqualTo("live");
        assertThat(LocalStack.summary(live, "http://127.0.0.1:16443", Path.of("kubeconfig")))
                .contains("OpenAI GPT-Live on gpt-live-1.1 (OPENAI_API_KEY is set; VOICEBRIDGE_AGENT_API=live)");
        assertThat(LocalStack.summary(LocalStack.Settings.fromEnvironment(Map.of()), "u", Path.of("k")))
                .contains("embedded echo agent (no OPENAI_API_KEY)");
    }

    @Test
    void anApiVoicebridgeDoesNotSpeakIsRefusedAtStart() {
        assertThatThrownBy(() -> LocalStack.Settings.fromEnvironment(Map.of("VOICEBRIDGE_AGENT_API", "gemini")))
                .hasMessage("VOICEBRIDGE_AGENT_API must be one of [realtime, live], was 'gemini'");
    }
}
