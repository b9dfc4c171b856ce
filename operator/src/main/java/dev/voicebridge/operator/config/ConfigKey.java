package dev.voicebridge.operator.config;

/**
 * Every configuration key of the operator, with its default and meaning. Read from environment
 * variables, or from system properties of the same name (system properties win). The docs'
 * configuration reference (docs/operator.md) is checked against this list by a test.
 */
public enum ConfigKey {
    VOICEBRIDGE_NAMESPACES("", "Comma-separated namespaces to watch for VoiceCalls and worker pods; empty = all."),
    VOICEBRIDGE_HTTP_PORT("8080", "Port of the health (/health/live, /health/ready) and /metrics endpoint; 0 = any."),
    VOICEBRIDGE_HTTP_HOST(
            "0.0.0.0", "Address the HTTP endpoint binds to; 0.0.0.0 = every address (the chart binds the pod IP)."),
    VOICEBRIDGE_HTTP_EXCHANGE_TIMEOUT(
            "5s", "Bound on one HTTP request from its first byte to the response; a slower one is dropped."),
    VOICEBRIDGE_HTTP_MAX_EXCHANGES("64", "HTTP requests served at once; a connection beyond that is closed at once."),
    VOICEBRIDGE_RECONCILE_THREADS("20", "Concurrent reconciliations (JOSDK executor size)."),
    VOICEBRIDGE_WORKER_CAPACITY("50", "Calls a worker runs at once when its pod has no voicebridge.dev/capacity."),
    VOICEBRIDGE_ZONE_LABEL("topology.kubernetes.io/zone", "Pod label read as the worker's zone."),
    VOICEBRIDGE_PREFERRED_ZONE("", "Prefer workers in this zone while any has free capacity; empty = no preference."),
    VOICEBRIDGE_WORKER_SLOW_START(
            "60s",
            "After a worker pod turns Ready its share of new calls grows from 10 % to all of its capacity over this time while warm workers have room; 0s = off."),
    VOICEBRIDGE_PENDING_TIMEOUT("10s", "A call no worker took within this time ends NoCapacity (WhatsApp reject)."),
    VOICEBRIDGE_PLACEMENT_RETRY("1s", "How often a Pending call retries placement when no worker has room."),
    VOICEBRIDGE_CONNECT_TIMEOUT("30s", "Assignment to Connected; past it the call ends MediaTimeout."),
    VOICEBRIDGE_WORKER_LOST_GRACE("10s", "How long a worker pod may stay not ready before its calls count as lost."),
    VOICEBRIDGE_RING_TIMEOUT(
            "45s",
            "Outbound: how long the user's phone may ring before the call ends NoAnswer (a VoiceAgent's outbound.ringTimeoutSeconds wins)."),
    VOICEBRIDGE_HANGUP_GRACE("10s", "How long the worker has to obey spec.hangup before the operator ends the call."),
    VOICEBRIDGE_ACCEPT_ON("dtls-connected", "When to send accept: dtls-connected (after the worker's DTLS) or answer."),
    VOICEBRIDGE_MAX_CALL_DURATION("3600s", "Max duration when neither the call nor its agent sets one."),
    VOICEBRIDGE_AGENT_RECHECK(
            "30s", "How often an unchanged VoiceAgent is validated again (the Secrets it references may come or go)."),
    VOICEBRIDGE_GRAPH_BASE_URL("https://graph.facebook.com", "WhatsApp Graph API base URL (tests: the fake)."),
    VOICEBRIDGE_GRAPH_VERSION("v23.0", "Graph API version path segment."),
    VOICEBRIDGE_GRAPH_CONNECT_TIMEOUT("2s", "TCP/TLS connect timeout to the Graph API."),
    VOICEBRIDGE_GRAPH_TIMEOUT("5s", "Whole-request timeout of one Graph API call."),
    VOICEBRIDGE_GRAPH_MAX_ATTEMPTS("4", "Attempts per Graph action for retryable errors (5xx, 429, timeouts)."),
    VOICEBRIDGE_GRAPH_BACKOFF("500ms", "First retry delay; doubles per attempt."),
    VOICEBRIDGE_GRAPH_BACKOFF_MAX("5s", "Upper bound of the retry delay."),
    VOICEBRIDGE_RETENTION("1h", "Ended calls are deleted this long after they ended."),
    VOICEBRIDGE_LEADER_ELECTION("true", "Run leader election on a Lease so several replicas can run."),
    VOICEBRIDGE_LEASE_NAME("voicebridge-operator", "Name of the leader-election Lease."),
    VOICEBRIDGE_LEASE_NAMESPACE("", "Namespace of the Lease; empty = POD_NAMESPACE, else the client's namespace."),
    VOICEBRIDGE_LEASE_DURATION("15s", "Lease duration (leader election)."),
    VOICEBRIDGE_LEASE_RENEW_DEADLINE("10s", "Renew deadline (leader election)."),
    VOICEBRIDGE_LEASE_RETRY_PERIOD("2s", "Retry period (leader election)."),
    VOICEBRIDGE_IDENTITY("", "Leader-election identity and Event source; empty = HOSTNAME."),
    VOICEBRIDGE_DELETION_COST_INTERVAL(
            "5s",
            "How often each worker pod's controller.kubernetes.io/pod-deletion-cost is set to its active calls (only changed values are written); 0s = never."),
    VOICEBRIDGE_OTLP_ENDPOINT(
            "",
            "OTLP endpoint (http/protobuf, e.g. a collector's port 4318) for the operator's spans; empty = OTEL_EXPORTER_OTLP_ENDPOINT; both empty = spans are not exported.");

    private final String defaultValue;
    private final String description;

    ConfigKey(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
