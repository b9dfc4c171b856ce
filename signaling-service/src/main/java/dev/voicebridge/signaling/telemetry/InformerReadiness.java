package dev.voicebridge.signaling.telemetry;

import dev.voicebridge.signaling.calls.AgentDirectory;
import dev.voicebridge.signaling.calls.CallCache;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once both informers listed their resources: before that, waits could miss answers. */
@Readiness
@Dependent
public class InformerReadiness implements HealthCheck {
    private final CallCache calls;
    private final AgentDirectory agents;

    @Inject
    public InformerReadiness(CallCache calls, AgentDirectory agents) {
        this.calls = calls;
        this.agents = agents;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("informers")
                .status(calls.hasSynced() && agents.hasSynced())
                .withData("voicecalls", calls.hasSynced())
                .withData("voiceagents", agents.hasSynced())
                .build();
    }
}
