package dev.voicebridge.signaling.webhook;

import dev.voicebridge.signaling.calls.AgentDirectory;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.security.WebhookSignature;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI wiring of the webhook package; the components themselves are plain classes. */
@ApplicationScoped
public class WebhookProducer {

    @Produces
    @Singleton
    WebhookProcessor processor(
            CallStore store,
            CallCache cache,
            AgentDirectory agents,
            SignalingConfig config,
            SignalingMetrics metrics,
            Clock clock) {
        return new WebhookProcessor(store, cache, agents, config, metrics, clock);
    }

    @Produces
    @Singleton
    WebhookSignature signature(SignalingConfig config) {
        return new WebhookSignature(config.appSecret());
    }

    @Produces
    @Singleton
    WebhookParser parser() {
        return new WebhookParser();
    }

    /** Creates the webhook's singletons at start-up, not in the first webhook's request. */
    void createAtStart(
            @Observes @Initialized(ApplicationScoped.class) Object ignored,
            WebhookProcessor processor,
            WebhookSignature signature,
            WebhookParser parser) {
        // The signature's MAC (its JDK provider and classes), loaded now rather than by the first webhook.
        signature.header(new byte[0]);
    }
}
