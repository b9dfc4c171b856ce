package dev.voicebridge.operator.whatsapp;

import java.time.Duration;

/** Bounded attempts with exponential backoff for retryable Graph failures. */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Whether another attempt is allowed after {@code attemptsMade} attempts. */
    public boolean mayRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /** Delay before the next attempt after {@code attemptsMade} attempts (1 → initial). */
    public Duration backoff(int attemptsMade) {
        int shift = Math.max(0, Math.min(attemptsMade - 1, 20));
        Duration delay = initialBackoff.multipliedBy(1L << shift);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
