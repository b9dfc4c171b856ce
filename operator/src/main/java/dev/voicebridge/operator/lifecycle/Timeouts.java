package dev.voicebridge.operator.lifecycle;

import java.time.Duration;

/** The timers of the lifecycle, from configuration. */
public record Timeouts(
        Duration pendingTimeout,
        Duration connectTimeout,
        Duration workerLostGrace,
        Duration hangupGrace,
        Duration retention,
        boolean acceptOnAnswer) {}
