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

    @Test
    void theGraphApiIsTheLocalStandInUnlessARealOneIsNamed() {
        var local = LocalStack.Settings.fromEnvironment(Map.of("VOICEBRIDGE_LOCAL_GRAPH_PORT", "18083"));
        assertThat(local.graphUrl()).isEqualTo("http://127.0.0.1:18083");
        assertThat(local.whatsappToken()).isEqualTo("local-whatsapp-token");
        assertThat(LocalStack.summary(local, "u", Path.of("k")))
                .contains("http://127.0.0.1:18083 (local stand-in)")
                .contains("http://127.0.0.1:8080/softphone#token=local-api-token&agent=default");
        assertThat(LocalStack.services(local, Path.of("k"), "u", System.out)
                        .getLast()
                        .env())
                .containsEntry("VOICEBRIDGE_SOFTPHONE_ENABLED", "true");
        var meta = LocalStack.Settings.fromEnvironment(
                Map.of("VOICEBRIDGE_LOCAL_GRAPH_URL", "https://graph.facebook.com"));
        assertThat(meta.graphUrl()).isEqualTo("https://graph.facebook.com");
        assertThat(LocalStack.services(meta, Path.of("k"), "u", System.out)
                        .getFirst()
                        .env())
                .containsEntry("VOICEBRIDGE_GRAPH_BASE_URL", "https://graph.facebook.com");
    }

    @Test
    void theStackRunsItsServicesWithCachesUnlessTurnedOff() {
        var on = LocalStack.Settings.fromEnvironment(Map.of("VOICEBRIDGE_HOME", "/tmp/home"));
        assertThat(LocalStack.services(on, Path.of("k"), "u", System.out))
                .allSatisfy(
                        service -> assertThat(service.aotCacheDirectory()).contains(Path.of("/tmp/home/.local/aot")));
        var off = LocalStack.Settings.fromEnvironment(Map.of("VOICEBRIDGE_LOCAL_AOT_CACHE", "off"));
        assertThat(LocalStack.services(off, Path.of("k"), "u", System.out))
                .allSatisfy(service -> assertThat(service.aotCacheDirectory()).isEmpty());
    }
}
