package dev.voicebridge.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.testkit.config.DurationForms;
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
    void everyDurationFormReadsAsInTheOtherServicesAndABadOneStopsStartUpNamingTheKey() {
        DurationForms.ACCEPTED.forEach((text, expected) -> {
            var config = ConfigProducer.from(
                    config(Map.of(ConfigKeys.API_ANSWER_WAIT, text, ConfigKeys.KUBE_REQUEST_TIMEOUT, text)));
            assertThat(config.answerWait()).as(text).isEqualTo(expected);
            assertThat(config.kubernetes().requestTimeoutMillis()).as(text).isEqualTo(expected.toMillis());
        });
        for (String bad : DurationForms.REFUSED) {
            assertThatThrownBy(() -> ConfigProducer.from(config(Map.of(ConfigKeys.API_ANSWER_WAIT, bad))))
                    .as(bad)
                    .hasMessageStartingWith(ConfigKeys.API_ANSWER_WAIT + ": ");
        }
    }

    /** A -millis key of an earlier release, set in a stronger source than the new key's default, still applies. */
    @Test
    void deprecatedMillisKeysStillApplyUnlessTheNewKeyIsSetAlongside() {
        var defaults = MpConfigSources.create(Map.of(ConfigKeys.API_ANSWER_WAIT, "10s"));
        var environment = MpConfigSources.create(Map.of("voicebridge.api.answer-wait-millis", "2500"));
        var config = ConfigProviderResolver.instance()
                .getBuilder()
                .withSources(ordinal(defaults, 100), ordinal(environment, 300))
                .build();
        assertThat(ConfigProducer.from(config).answerWait()).isEqualTo(Duration.ofMillis(2500));
        assertThat(ConfigProducer.from(config(
                                Map.of("voicebridge.api.answer-wait-millis", "2500", ConfigKeys.API_ANSWER_WAIT, "3s")))
                        .answerWait())
                .isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() ->
                        ConfigProducer.from(config(Map.of("voicebridge.kubernetes.request-timeout-millis", "5s"))))
                .hasMessageStartingWith("voicebridge.kubernetes.request-timeout-millis: ");
    }

    private static org.eclipse.microprofile.config.spi.ConfigSource ordinal(
            org.eclipse.microprofile.config.spi.ConfigSource source, int ordinal) {
        return new org.eclipse.microprofile.config.spi.ConfigSource() {
            @Override
            public java.util.Set<String> getPropertyNames() {
                return source.getPropertyNames();
            }

            @Override
            public String getValue(String name) {
                return source.getValue(name);
            }

            @Override
            public String getName() {
                return source.getName() + "@" + ordinal;
            }

            @Override
            public int getOrdinal() {
                return ordinal;
            }
        };
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
