package dev.voicebridge.signaling.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** Every metric the service records, named in one place (docs/signaling.md lists them). */
public final class SignalingMetrics {
    private final MetricRegistry registry;

    public SignalingMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /**
     * One per webhook POST, by outcome: accepted, unauthorized, malformed, invalid-timestamp,
     * too-large, incomplete, unavailable, rejected.
     */
    public void webhookRequest(String outcome) {
        registry.counter("signaling.webhook.requests", new Tag("outcome", outcome))
                .inc();
    }

    /** Time from the webhook POST being read to the reply, by request outcome. */
    public void webhookLatency(String outcome, Duration took) {
        registry.timer("signaling.webhook.latency", new Tag("outcome", outcome)).update(took);
    }

    /** One per event inside a webhook, by event kind and what was done with it. */
    public void webhookEvent(String event, String outcome) {
        registry.counter("signaling.webhook.events", new Tag("event", event), new Tag("outcome", outcome))
                .inc();
    }

    public void signatureFailure(String why) {
        registry.counter("signaling.webhook.signature.failures", new Tag("reason", why))
                .inc();
    }

    public void staleEvent(String event) {
        registry.counter("signaling.webhook.stale.events", new Tag("event", event))
                .inc();
    }

    /** A call-API request refused by authentication: missing, invalid (token) or forbidden (operation). */
    public void authFailure(String reason) {
        registry.counter("signaling.api.auth.failures", new Tag("reason", reason))
                .inc();
    }

    public void apiLatency(String operation, int status, Duration took) {
        registry.timer(
                        "signaling.api.latency",
                        new Tag("operation", operation),
                        new Tag("status", Integer.toString(status)))
                .update(took);
    }

    /** Time a POST /v1/calls waited for the answer, by how the wait ended. */
    public void setupWait(String outcome, Duration took) {
        registry.timer("signaling.api.setup.wait", new Tag("outcome", outcome)).update(took);
    }

    /**
     * Registers up front the timers every call's path records and the webhook's outcome counters.
     * Registered lazily, the first call's {@code 201} waited for the registry to build its first
     * timer (Micrometer's and HdrHistogram's classes, about 130 loaded on the request's thread
     * after the answer arrived: about 100 ms of that call's 149 ms from the answer's watch event
     * to the {@code 201}, measured with {@code -Xlog:class+load}). Registered, they are also
     * exported at zero from the start, so a rate over them has a series to start from.
     */
    public void registerExpected() {
        for (String outcome : List.of("answered", "no-capacity", "ended", "timeout")) {
            registry.timer("signaling.api.setup.wait", new Tag("outcome", outcome));
        }
        for (String[] operation :
                new String[][] {{"create", "201"}, {"accepted", "204"}, {"hangup", "202"}, {"outbound", "201"}}) {
            registry.timer(
                    "signaling.api.latency", new Tag("operation", operation[0]), new Tag("status", operation[1]));
        }
        registry.timer("signaling.webhook.latency", new Tag("outcome", "accepted"));
        for (String outcome : List.of(
                "accepted",
                "unauthorized",
                "malformed",
                "invalid-timestamp",
                "too-large",
                "incomplete",
                "unavailable",
                "rejected")) {
            registry.counter("signaling.webhook.requests", new Tag("outcome", outcome));
        }
    }

    public void pendingWaitersGauge(Supplier<Integer> pending) {
        registry.gauge("signaling.api.pending.waiters", pending);
    }

    public long count(String name, Tag... tags) {
        var counter = registry.getCounter(new org.eclipse.microprofile.metrics.MetricID(name, tags));
        return counter == null ? 0 : counter.getCount();
    }
}
