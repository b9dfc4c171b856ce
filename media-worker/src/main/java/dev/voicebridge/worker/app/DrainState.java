package dev.voicebridge.worker.app;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether this worker is draining (SIGTERM received): it then takes no new calls. */
@ApplicationScoped
public class DrainState {
    private volatile boolean draining;

    public void startDraining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }
}
