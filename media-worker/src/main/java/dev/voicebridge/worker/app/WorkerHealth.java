package dev.voicebridge.worker.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of this worker as the operator and Kubernetes see it: ready while it accepts calls.
 * A draining worker reports not ready so no new call is placed on it, and so does one whose media
 * port failed (for good: the data says why).
 */
@Readiness
@ApplicationScoped
public class WorkerHealth implements HealthCheck {
    private final String podName;
    private final WorkerState state;

    @Inject
    public WorkerHealth(
            @ConfigProperty(name = "voicebridge.worker.pod-name", defaultValue = "media-worker-local") String podName,
            WorkerState state) {
        this.podName = podName;
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        boolean draining = state.isDraining();
        var response = HealthCheckResponse.named("media-worker")
                .status(state.isReady())
                .withData("pod", podName)
                .withData("draining", draining);
        String warmUp = state.warmUp();
        if (warmUp != null) {
            response.withData("warmUp", warmUp);
        }
        String failure = state.mediaFailure();
        if (failure != null) {
            response.withData("media", failure);
        }
        return response.build();
    }
}
