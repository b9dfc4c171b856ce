package dev.voicebridge.operator.lifecycle;

import java.time.Duration;

/**
 * Lets {@link dev.voicebridge.operator.VoiceBridgeOperator#close()} drain reconciliations before
 * JOSDK tears the informers down. JOSDK 5.2's {@code Operator.stop()} stops the controllers (and
 * with them every informer cache) first and only then waits for the reconcile executor, so a
 * reconcile still in flight reads empty caches: the worker registry then says the call's pod is
 * gone and the stopping operator ends a healthy call WorkerLost, racing its successor. The gate
 * closes first: no reconcile starts or takes another step once it is closed, and close() waits
 * for the ones in flight. Every step is restartable (write-ahead status), so stopping between
 * steps loses nothing; the next leader continues from the recorded state.
 */
public final class ReconcileGate {
    private final Object lock = new Object();
    private boolean closed;
    private int inFlight;

    /** {@code false} once closed: the caller must not touch the call. */
    public boolean enter() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            inFlight++;
            return true;
        }
    }

    public void exit() {
        synchronized (lock) {
            inFlight--;
            if (inFlight == 0) {
                lock.notifyAll();
            }
        }
    }

    boolean isOpen() {
        synchronized (lock) {
            return !closed;
        }
    }

    /** Refuses new reconciliations and steps without waiting for those in flight. */
    public void refuse() {
        synchronized (lock) {
            closed = true;
        }
    }

    /**
     * Refuses new reconciliations and waits up to {@code timeout} for those in flight.
     *
     * @return {@code true} when none is left in flight
     */
    public boolean closeAndDrain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            closed = true;
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
