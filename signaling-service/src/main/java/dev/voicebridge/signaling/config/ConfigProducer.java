package dev.voicebridge.signaling.config;

import dev.voicebridge.api.config.Durations;
import dev.voicebridge.api.config.Setting;
import dev.voicebridge.api.log.LogLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Builds {@link SignalingConfig} from MicroProfile Config. A secret comes from its {@code -file}
 * key when set (a mounted Kubernetes Secret; trailing newlines trimmed, as {@code kubectl create
 * secret --from-file} keeps them), else from the plain key (typically an env var).
 */
@ApplicationScoped
public class ConfigProducer {
    private static final Logger LOG = Logger.getLogger(ConfigProducer.class.getName());

    @Produces
    @Singleton
    SignalingConfig signalingConfig(Config config) {
        return from(config);
    }

    /** The service's clock; tests of stale-event handling compare against the same time source. */
    @Produces
    @Singleton
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    public static SignalingConfig from(Config config) {
        return new SignalingConfig(
                string(config, ConfigKeys.NAMESPACE, "voicebridge"),
                secret(config, ConfigKeys.APP_SECRET, ConfigKeys.APP_SECRET_FILE),
                secret(config, ConfigKeys.VERIFY_TOKEN, ConfigKeys.VERIFY_TOKEN_FILE),
                ApiClients.load(
                        secret(config, ConfigKeys.API_TOKEN, ConfigKeys.API_TOKEN_FILE),
                        ConfigKeys.API_CLIENTS_FILE,
                        file(config, ConfigKeys.API_CLIENTS_FILE)),
                integer(config, ConfigKeys.WEBHOOK_MAX_BODY, 1_048_576),
                Duration.ofSeconds(integer(config, ConfigKeys.WEBHOOK_STALE_AGE, 120)),
                string(config, ConfigKeys.WEBHOOK_DEFAULT_AGENT, ""),
                integer(config, ConfigKeys.API_MAX_BODY, 262_144),
                duration(config, ConfigKeys.API_ANSWER_WAIT, "10s"),
                integer(config, ConfigKeys.API_RETRY_AFTER, 5),
                new SignalingConfig.Kubernetes(
                        string(config, ConfigKeys.KUBE_MASTER_URL, ""),
                        (int) duration(config, ConfigKeys.KUBE_REQUEST_TIMEOUT, "10s")
                                .toMillis(),
                        (int) duration(config, ConfigKeys.KUBE_CONNECT_TIMEOUT, "5s")
                                .toMillis(),
                        config.getOptionalValue(ConfigKeys.KUBE_TRUST_CERTS, Boolean.class)
                                .orElse(false)),
                new SignalingConfig.Telemetry(
                        string(config, ConfigKeys.OTLP_ENDPOINT, ""),
                        string(config, ConfigKeys.SERVICE_NAME, "signaling-service")),
                new SignalingConfig.Graph(
                        secret(config, ConfigKeys.ACCESS_TOKEN, ConfigKeys.ACCESS_TOKEN_FILE),
                        string(config, ConfigKeys.GRAPH_BASE_URL, "https://graph.facebook.com"),
                        string(config, ConfigKeys.GRAPH_VERSION, "v23.0")));
    }

    private static String string(Config config, String key, String fallback) {
        return config.getOptionalValue(key, String.class).map(String::trim).orElse(fallback);
    }

    /**
     * A duration key, or the integer-millisecond key it replaced when that one is set in a source at
     * stronger than the one the new key's value comes from (an env var beats application.yaml).
     * A bad value stops start-up with a message naming the key.
     */
    static Duration duration(Config config, String key, String fallback) {
        ConfigValue current = config.getConfigValue(key);
        for (var deprecated : ConfigKeys.DEPRECATED_MILLIS.entrySet()) {
            ConfigValue old = config.getConfigValue(deprecated.getKey());
            if (deprecated.getValue().equals(key)
                    && old.getValue() != null
                    && !old.getValue().isBlank()
                    && (current.getValue() == null || old.getSourceOrdinal() > current.getSourceOrdinal())) {
                LOG.warning(LogLine.of(
                        "config-deprecated",
                        "key",
                        deprecated.getKey(),
                        "use",
                        key,
                        "as",
                        Durations.format(Duration.ofMillis(millis(old)))));
                return Duration.ofMillis(millis(old));
            }
        }
        return Setting.duration(key, fallback, "").read(k -> current.getValue());
    }

    private static long millis(ConfigValue old) {
        return Setting.integer(old.getName(), "0", 0, Integer.MAX_VALUE, "")
                .parse(old.getValue().trim());
    }

    private static int integer(Config config, String key, int fallback) {
        return config.getOptionalValue(key, Integer.class).orElse(fallback);
    }

    private static SecretValue secret(Config config, String key, String fileKey) {
        byte[] raw = file(config, fileKey);
        if (raw != null) {
            int end = raw.length;
            while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
                end--;
            }
            return new SecretValue(Arrays.copyOf(raw, end));
        }
        return SecretValue.of(config.getOptionalValue(key, String.class).orElse(""));
    }

    /** The content of the file a key names, or null when the key is unset or blank. */
    private static byte[] file(Config config, String fileKey) {
        var file = config.getOptionalValue(fileKey, String.class).filter(s -> !s.isBlank());
        if (file.isEmpty()) {
            return null;
        }
        try {
            return Files.readAllBytes(Path.of(file.get().trim()));
        } catch (IOException e) {
            // The message names the key and the path, never the content.
            throw new UncheckedIOException("cannot read " + fileKey + " at " + file.get(), e);
        }
    }
}
