package dev.voicebridge.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.mp.MpConfigSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigProducerTest {

    static org.eclipse.microprofile.config.Config config(Map<String, String> values) {
        return ConfigProviderResolver.instance()
                .getBuilder()
                .withSources(MpConfigSources.create(values))
                .build();
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        var config = ConfigProducer.from(config(Map.of()));
        assertThat(config.namespace()).isEqualTo("voicebridge");
        assertThat(config.webhookMaxBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.staleEventAge()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.answerWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retryAfterSeconds()).isEqualTo(5);
        assertThat(config.appSecret().isEmpty()).isTrue();
        assertThat(config.kubernetes().masterUrl()).isEmpty();
    }

    @Test
    void secretFilesWinOverPlainValuesAndLoseTheirTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app-secret");
        Files.writeString(file, "from-file\n");
        var config = ConfigProducer.from(config(Map.of(
                ConfigKeys.APP_SECRET,
                "plain",
                ConfigKeys.APP_SECRET_FILE,
                file.toString(),
                ConfigKeys.API_TOKEN,
                "tok")));
        assertThat(config.appSecret().bytes()).isEqualTo("from-file".getBytes(StandardCharsets.UTF_8));
        assertThat(config.apiClients()).singleElement().satisfies(client -> {
            assertThat(client.name()).isEqualTo(ApiClients.LEGACY_NAME);
            assertThat(client.tokenSha256()).isEqualTo(ApiClients.sha256("tok".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.operations()).containsExactlyInAnyOrder(CallOperation.values());
            assertThat(client.covers("any-agent", null)).isTrue();
        });
        assertThat(config.toString())
                .doesNotContain("from-file")
                .doesNotContain("tok]")
                .contains("redacted");
    }
}
