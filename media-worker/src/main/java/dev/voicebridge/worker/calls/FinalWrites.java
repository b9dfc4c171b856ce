package dev.voicebridge.worker.calls;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.worker.calls.CallStatusWriter.Outcome;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The last writes the worker makes for a call: its final media and agent figures, then
 * {@code status.end}. Periodic updates may be lost (the next one repeats them); these have no next
 * one, and the operator finishes a call on its end, so each is retried until Kubernetes takes it:
 * exponential backoff from {@link #FIRST_RETRY} capped at {@link #MAX_BACKOFF}, for as long as it
 * takes. It stops early only when the VoiceCall is gone (HTTP 404: nothing will ever take the
 * write) or the worker is shutting down and the grace {@link #giveUpAfter} granted has run out.
 *
 * <p>Runs on the caller's (virtual) thread and blocks it while backing off.
 */
final class FinalWrites {
    private static final Logger LOG = Logger.getLogger(FinalWrites.class.getName());
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CallStatusWriter writer;
    private final CallEnds ends;
    private final String namespace;
    /** {@link System#nanoTime()} after which retries stop; guarded by this. */
    private long giveUpAtNanos;

    private boolean stopping;

    FinalWrites(CallStatusWriter writer, CallEnds ends, String namespace) {
        this.writer = writer;
        this.ends = ends;
        this.namespace = namespace;
    }

    /**
     * Writes the final figures (when there are any) and then the end. Returns once both are taken,
     * the call is gone, or the worker gave up.
     */
    void write(String name, MediaStatus media, AgentStatus agent, EndReason reason, String message) {
        if ((media != null || agent != null) && !retry("final figures", name, () -> writer.patch(name, media, agent))) {
            return;
        }
        retry("end", name, () -> end(name, reason, message));
    }

    /** Shutting down: retries still due within {@code grace} go ahead, none after it. */
    synchronized void giveUpAfter(Duration grace) {
        stopping = true;
        giveUpAtNanos = System.nanoTime() + grace.toNanos();
        notifyAll();
    }

    private Outcome end(String name, EndReason reason, String message) {
        try {
            return ends.end(namespace, name, reason, message).isPresent() ? Outcome.WRITTEN : Outcome.GONE;
        } catch (KubernetesClientException e) {
            LOG.warning(() -> LogLine.of("call.end-write-failed", LogLine.CALL, name, "httpStatus", e.getCode()));
            return Outcome.FAILED;
        }
    }

    /** True once taken; false when the call is gone or the worker gave up. */
    private boolean retry(String what, String name, Supplier<Outcome> write) {
        long backoffNanos = FIRST_RETRY.toNanos();
        for (int attempt = 1; ; attempt++) {
            switch (write.get()) {
                case WRITTEN -> {
                    return true;
                }
                case GONE -> {
                    return false;
                }
                case FAILED -> {
                    if (!pause(backoffNanos)) {
                        int attempts = attempt;
                        LOG.warning(() -> LogLine.of(
                                "call.final-write-abandoned",
                                LogLine.CALL,
                                name,
                                "what",
                                what,
                                "attempts",
                                attempts,
                                "why",
                                "the worker is shutting down"));
                        return false;
                    }
                    backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF.toNanos());
                }
            }
        }
    }

    /** Waits before the next attempt; false when no attempt is due any more (shutdown grace over). */
    private synchronized boolean pause(long nanos) {
        long until = System.nanoTime() + nanos;
        while (true) {
            long now = System.nanoTime();
            if (stopping && now - giveUpAtNanos >= 0) {
                return false;
            }
            long wake = stopping ? Math.min(until, giveUpAtNanos) : until;
            if (now - wake >= 0) {
                return !stopping || now - giveUpAtNanos < 0;
            }
            try {
                // Woken early by giveUpAfter, to re-check the deadline.
                wait(Math.max(1, (wake - now) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
