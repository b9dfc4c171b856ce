package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.time.Duration;

/** What executing one decision led to. */
sealed interface StepResult {
    /** Decide again on this (updated) resource. */
    record Continue(VoiceCall call) implements StepResult {}

    /** Stop this reconciliation; look again after {@code after} ({@code null}: on events only). */
    record Stop(Duration after) implements StepResult {}
}
