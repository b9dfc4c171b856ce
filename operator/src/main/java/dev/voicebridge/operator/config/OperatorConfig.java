package dev.voicebridge.operator.config;

import dev.voicebridge.api.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The operator's typed configuration. Build with {@link #from(Function)}; keys in {@link ConfigKey}. */
public record OperatorConfig(
        Set<String> namespaces,
        int httpPort,
        String httpHost,
        Duration httpExchangeTimeout,
        int httpMaxExchanges,
        int reconcileThreads,
        int defaultWorkerCapacity,
        String zoneLabel,
        String preferredZone,
        Duration workerSlowStart,
        Duration pendingTimeout,
        Duration placementRetry,
        Duration connectTimeout,
        Duration ringTimeout,
        Duration workerLostGrace,
        Duration hangupGrace,
        AcceptOn acceptOn,
        Duration defaultMaxCallDuration,
        Duration agentRecheck,
        URI graphBaseUrl,
        String graphVersion,
        Duration graphConnectTimeout,
        Duration graphTimeout,
        int graphMaxAttempts,
        Duration graphBackoff,
        Duration graphBackoffMax,
        Duration retention,
        boolean leaderElection,
        String leaseName,
        String leaseNamespace,
        Duration leaseDuration,
        Duration leaseRenewDeadline,
        Duration leaseRetryPeriod,
        String identity,
        Duration deletionCostInterval,
        String otlpEndpoint) {

    /** When the operator sends WhatsApp {@code accept}. */
    public enum AcceptOn {
        /** After the worker reports DTLS connected: media can flow the moment accept returns. */
        DTLS_CONNECTED,
        /** Right after pre_accept succeeded. */
        ANSWER
    }

    /** Environment variables, overridden by system properties of the same name. */
    public static OperatorConfig fromEnvironment() {
        return from(key -> {
            String property = System.getProperty(key);
            return property != null ? property : System.getenv(key);
        });
    }

    /** Builds from a lookup; blank or missing values take the key's default. */
    public static OperatorConfig from(Function<String, String> lookup) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String value = lookup.apply(key.name());
            values.put(key, value == null || value.isBlank() ? key.defaultValue() : value.trim());
        }
        return new Reader(values).read();
    }

    /** Builds from explicit overrides on top of the defaults (tests). */
    public static OperatorConfig of(Map<ConfigKey, String> overrides) {
        return from(name -> overrides.get(ConfigKey.valueOf(name)));
    }

    private record Reader(Map<ConfigKey, String> values) {
        OperatorConfig read() {
            String identity = string(ConfigKey.VOICEBRIDGE_IDENTITY);
            if (identity.isEmpty()) {
                String host = System.getenv("HOSTNAME");
                identity = host == null || host.isBlank() ? "voicebridge-operator" : host;
            }
            String leaseNamespace = string(ConfigKey.VOICEBRIDGE_LEASE_NAMESPACE);
            if (leaseNamespace.isEmpty() && System.getenv("POD_NAMESPACE") != null) {
                leaseNamespace = System.getenv("POD_NAMESPACE");
            }
            return new OperatorConfig(
                    Arrays.stream(string(ConfigKey.VOICEBRIDGE_NAMESPACES).split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .collect(Collectors.toUnmodifiableSet()),
                    integer(ConfigKey.VOICEBRIDGE_HTTP_PORT, 0, 65535),
                    string(ConfigKey.VOICEBRIDGE_HTTP_HOST),
                    duration(ConfigKey.VOICEBRIDGE_HTTP_EXCHANGE_TIMEOUT),
                    integer(ConfigKey.VOICEBRIDGE_HTTP_MAX_EXCHANGES, 1, 100_000),
                    integer(ConfigKey.VOICEBRIDGE_RECONCILE_THREADS, 1, 1000),
                    integer(ConfigKey.VOICEBRIDGE_WORKER_CAPACITY, 0, 100_000),
                    string(ConfigKey.VOICEBRIDGE_ZONE_LABEL),
                    string(ConfigKey.VOICEBRIDGE_PREFERRED_ZONE),
                    duration(ConfigKey.VOICEBRIDGE_WORKER_SLOW_START),
                    duration(ConfigKey.VOICEBRIDGE_PENDING_TIMEOUT),
                    duration(ConfigKey.VOICEBRIDGE_PLACEMENT_RETRY),
                    duration(ConfigKey.VOICEBRIDGE_CONNECT_TIMEOUT),
                    duration(ConfigKey.VOICEBRIDGE_RING_TIMEOUT),
                    duration(ConfigKey.VOICEBRIDGE_WORKER_LOST_GRACE),
                    duration(ConfigKey.VOICEBRIDGE_HANGUP_GRACE),
                    acceptOn(string(ConfigKey.VOICEBRIDGE_ACCEPT_ON)),
                    duration(ConfigKey.VOICEBRIDGE_MAX_CALL_DURATION),
                    duration(ConfigKey.VOICEBRIDGE_AGENT_RECHECK),
                    URI.create(string(ConfigKey.VOICEBRIDGE_GRAPH_BASE_URL).replaceAll("/+$", "")),
                    string(ConfigKey.VOICEBRIDGE_GRAPH_VERSION),
                    duration(ConfigKey.VOICEBRIDGE_GRAPH_CONNECT_TIMEOUT),
                    duration(ConfigKey.VOICEBRIDGE_GRAPH_TIMEOUT),
                    integer(ConfigKey.VOICEBRIDGE_GRAPH_MAX_ATTEMPTS, 1, 20),
                    duration(ConfigKey.VOICEBRIDGE_GRAPH_BACKOFF),
                    duration(ConfigKey.VOICEBRIDGE_GRAPH_BACKOFF_MAX),
                    duration(ConfigKey.VOICEBRIDGE_RETENTION),
                    bool(ConfigKey.VOICEBRIDGE_LEADER_ELECTION),
                    string(ConfigKey.VOICEBRIDGE_LEASE_NAME),
                    leaseNamespace,
                    duration(ConfigKey.VOICEBRIDGE_LEASE_DURATION),
                    duration(ConfigKey.VOICEBRIDGE_LEASE_RENEW_DEADLINE),
                    duration(ConfigKey.VOICEBRIDGE_LEASE_RETRY_PERIOD),
                    identity,
                    duration(ConfigKey.VOICEBRIDGE_DELETION_COST_INTERVAL),
                    string(ConfigKey.VOICEBRIDGE_OTLP_ENDPOINT));
        }

        String string(ConfigKey key) {
            return values.get(key);
        }

        int integer(ConfigKey key, int min, int max) {
            return Setting.integer(key.name(), key.defaultValue(), min, max, key.description())
                    .parse(values.get(key));
        }

        boolean bool(ConfigKey key) {
            return Setting.bool(key.name(), key.defaultValue(), key.description())
                    .parse(values.get(key));
        }

        Duration duration(ConfigKey key) {
            return Setting.duration(key.name(), key.defaultValue(), key.description())
                    .parse(values.get(key));
        }

        static AcceptOn acceptOn(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "dtls-connected" -> AcceptOn.DTLS_CONNECTED;
                case "answer" -> AcceptOn.ANSWER;
                default ->
                    throw new IllegalArgumentException(
                            ConfigKey.VOICEBRIDGE_ACCEPT_ON + " must be dtls-connected or answer, was '" + value + "'");
            };
        }
    }
}
