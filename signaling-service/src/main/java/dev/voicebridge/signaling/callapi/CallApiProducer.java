package dev.voicebridge.signaling.callapi;

import dev.voicebridge.signaling.calls.AgentDirectory;
import dev.voicebridge.signaling.calls.AnswerWaiters;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI wiring of the call API. */
@ApplicationScoped
public class CallApiProducer {

    @Produces
    @Singleton
    CallSetup callSetup(
            CallStore store,
            CallCache cache,
            AgentDirectory agents,
            AnswerWaiters waiters,
            SignalingConfig config,
            SignalingMetrics metrics,
            Clock clock) {
        return new CallSetup(store, cache, agents, waiters, config, metrics, clock);
    }

    @Produces
    @Singleton
    CallActions callActions(CallStore store, CallCache cache, Clock clock) {
        return new CallActions(store, cache, clock);
    }

    @Produces
    @Singleton
    CallRequestParser parser() {
        return new CallRequestParser();
    }

    @Produces
    @Singleton
    OutboundRequestParser outboundParser() {
        return new OutboundRequestParser();
    }

    @Produces
    @Singleton
    OutboundSetup outboundSetup(CallStore store, AgentDirectory agents, SignalingConfig config, Clock clock) {
        return new OutboundSetup(store, agents, config, clock);
    }

    @Produces
    @Singleton
    CallMedia callMedia(SignalingConfig config) {
        return new CallMedia(config.graph());
    }

    /**
     * Creates the call API's singletons at start-up instead of in the first request that needs
     * them: {@link CallMedia}'s HTTP client alone sets up the JDK's TLS defaults, which loads every
     * security provider (tens of milliseconds on the first call after start). The {@code 201}
     * body's serializer is built here too.
     */
    void createAtStart(
            @Observes @Initialized(ApplicationScoped.class) Object ignored,
            CallSetup setup,
            CallActions actions,
            CallRequestParser parser,
            OutboundRequestParser outboundParser,
            OutboundSetup outbound,
            CallMedia media) {
        CallApiResource.warmUp();
    }
}
