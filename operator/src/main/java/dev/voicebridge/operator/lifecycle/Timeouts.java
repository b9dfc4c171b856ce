package dev.voicebridge.operator.lifecycle;

import java.time.Duration;

/**
 * The timers of the lifecycle, from configuration.
 *
 * @param ringTimeout outbound: how long the user's phone may ring (a VoiceAgent's own wins)
 */
public record Timeouts(
        Duration pendingTimeout,
        Duration connectTimeout,
        Duration workerLostGrace,
        Duration hangupGrace,
        Duration retention,
        boolean acceptOnAnswer,
        Duration ringTimeout) {

    /** Timers of inbound calls only; outbound calls ring 45 s. */
    public Timeouts(
            Duration pendingTimeout,
            Duration connectTimeout,
            Duration workerLostGrace,
            Duration hangupGrace,
            Duration retention,
            boolean acceptOnAnswer) {
        this(
                pendingTimeout,
                connectTimeout,
                workerLostGrace,
                hangupGrace,
                retention,
                acceptOnAnswer,
                Duration.ofSeconds(45));
    }
}
