package dev.voicebridge.signaling.config;

/**
 * Every configuration key the service reads. Defaults live in {@code application.yaml}; env vars
 * override them by the MicroProfile rule ({@code voicebridge.api.token-file} ←
 * {@code VOICEBRIDGE_API_TOKEN_FILE}). docs/signaling.md documents each key (checked by a test).
 * Durations use the services' one syntax ({@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601).
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    public static final String NAMESPACE = "voicebridge.namespace";
    public static final String APP_SECRET = "voicebridge.whatsapp.app-secret";
    public static final String APP_SECRET_FILE = "voicebridge.whatsapp.app-secret-file";
    public static final String VERIFY_TOKEN = "voicebridge.whatsapp.verify-token";
    public static final String VERIFY_TOKEN_FILE = "voicebridge.whatsapp.verify-token-file";
    public static final String ACCESS_TOKEN = "voicebridge.whatsapp.access-token";
    public static final String ACCESS_TOKEN_FILE = "voicebridge.whatsapp.access-token-file";
    public static final String GRAPH_BASE_URL = "voicebridge.whatsapp.graph-base-url";
    public static final String GRAPH_VERSION = "voicebridge.whatsapp.graph-version";
    public static final String WEBHOOK_MAX_BODY = "voicebridge.webhook.max-body-bytes";
    public static final String WEBHOOK_STALE_AGE = "voicebridge.webhook.stale-event-age-seconds";
    public static final String WEBHOOK_DEFAULT_AGENT = "voicebridge.webhook.default-agent";
    public static final String API_TOKEN = "voicebridge.api.token";
    public static final String API_TOKEN_FILE = "voicebridge.api.token-file";
    public static final String API_CLIENTS_FILE = "voicebridge.api.clients-file";
    public static final String API_MAX_BODY = "voicebridge.api.max-body-bytes";
    public static final String API_ANSWER_WAIT = "voicebridge.api.answer-wait";
    public static final String API_RETRY_AFTER = "voicebridge.api.retry-after-seconds";
    public static final String KUBE_MASTER_URL = "voicebridge.kubernetes.master-url";
    public static final String KUBE_REQUEST_TIMEOUT = "voicebridge.kubernetes.request-timeout";
    public static final String KUBE_CONNECT_TIMEOUT = "voicebridge.kubernetes.connection-timeout";
    public static final String KUBE_TRUST_CERTS = "voicebridge.kubernetes.trust-certificates";
    public static final String OTLP_ENDPOINT = "voicebridge.telemetry.otlp-endpoint";
    public static final String SERVICE_NAME = "voicebridge.telemetry.service-name";
    public static final String SOFTPHONE_ENABLED = "voicebridge.softphone.enabled";

    /**
     * Integer-millisecond keys of earlier releases, each with the duration key that replaced it.
     * Still read (a value set there wins over the replacement's shipped default, never over a value
     * set for the replacement in the same or a stronger source), with one WARN at start-up.
     */
    public static final java.util.Map<String, String> DEPRECATED_MILLIS = java.util.Map.of(
            "voicebridge.api.answer-wait-millis", API_ANSWER_WAIT,
            "voicebridge.kubernetes.request-timeout-millis", KUBE_REQUEST_TIMEOUT,
            "voicebridge.kubernetes.connection-timeout-millis", KUBE_CONNECT_TIMEOUT);
}
