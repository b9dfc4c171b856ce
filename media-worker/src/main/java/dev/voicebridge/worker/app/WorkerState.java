package dev.voicebridge.worker.app;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this worker takes calls: ready once it watches its calls, not ready again while it
 * drains (SIGTERM received: it finishes its calls but takes no new ones), and never again once its
 * media port failed (no call here can have media; the operator places none on a pod that is not
 * Ready and ends the ones it has as WorkerLost after its grace).
 */
@ApplicationScoped
public class WorkerState {
    private volatile boolean started;
    private volatile boolean draining;
    private volatile String mediaFailure;
    private volatile String warmUp;

    public void markStarted() {
        started = true;
    }

    /** The start-up self-call is over; {@code summary} says what it reached. */
    public void markWarmedUp(String summary) {
        warmUp = summary;
    }

    /** What the start-up self-call reached, or null before it ended. */
    public String warmUp() {
        return warmUp;
    }

    public void startDraining() {
        draining = true;
    }

    /** The shared media port failed for good; {@code reason} says why. */
    public void markMediaFailed(String reason) {
        mediaFailure = reason;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Why the media port failed, or null while it works. */
    public String mediaFailure() {
        return mediaFailure;
    }

    public boolean isReady() {
        return started && !draining && mediaFailure == null;
    }
}
