package dev.voicebridge.signaling.calls;

import dev.voicebridge.signaling.config.SignalingConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * CDI wiring of the calls package. The components are plain classes (testable without CDI); this
 * is the only place that knows they are singletons and starts the informers at boot, without
 * waiting for them: readiness turns up once both have synced.
 */
@ApplicationScoped
public class CallsProducer {

    @Produces
    @Singleton
    AnswerWaiters answerWaiters() {
        return new AnswerWaiters();
    }

    @Produces
    @Singleton
    CallCache callCache(KubernetesClient client, SignalingConfig config, AnswerWaiters waiters) {
        return new CallCache(client, config.namespace(), waiters);
    }

    void closeCache(@Disposes CallCache cache) {
        cache.close();
    }

    @Produces
    @Singleton
    AgentDirectory agentDirectory(KubernetesClient client, SignalingConfig config) {
        return new AgentDirectory(client, config.namespace());
    }

    void closeAgents(@Disposes AgentDirectory agents) {
        agents.close();
    }

    @Produces
    @Singleton
    CallStore callStore(KubernetesClient client, SignalingConfig config) {
        return new CallStore(client, config.namespace());
    }

    void startInformers(
            @Observes @Initialized(ApplicationScoped.class) Object ignored,
            CallCache cache,
            AgentDirectory agents,
            CallStore store) {
        cache.start();
        agents.start();
        // Off the start-up path: the first POST /v1/calls then finds the create path loaded.
        Thread.ofVirtual().name("calls-warm-up").start(store::warmUp);
    }
}
