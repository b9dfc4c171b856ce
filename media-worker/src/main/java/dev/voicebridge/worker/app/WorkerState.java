package dev.voicebridge.worker.app;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this worker takes calls: ready once it watches its calls, not ready again while it
 * drains (SIGTERM received: it finishes its calls but takes no new ones).
 */
@ApplicationScoped
public class WorkerState {
    private volatile boolean started;
    private volatile boolean draining;

    public void markStarted() {
        started = true;
    }

    public void startDraining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    public boolean isReady() {
        return started && !draining;
    }
}
