package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.model.ModelSession;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The greeting: asked for once, {@code leadIn} after media is up (the caller hears a moment of
 * line before the agent speaks), as soon as a session is ready. Owner thread only.
 */
final class Greeter {
    private final String instructions;
    private final Duration leadIn;
    private boolean due;
    private boolean sent;

    Greeter(VoiceAgentSpec agent, Duration defaultLeadIn) {
        var g = agent.getGreeting();
        this.instructions =
                g == null || g.getInstructions() == null || g.getInstructions().isBlank() ? null : g.getInstructions();
        this.leadIn = g != null && g.getLeadInMillis() != null ? Duration.ofMillis(g.getLeadInMillis()) : defaultLeadIn;
    }

    /** Media is up: the greeting becomes due after the lead-in. */
    void mediaUp(ScheduledExecutorService owner, Consumer<Runnable> post, Supplier<ModelSession> session) {
        if (instructions != null) {
            owner.schedule(
                    () -> post.accept(() -> {
                        due = true;
                        maybeGreet(session.get());
                    }),
                    leadIn.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Greets when due and a session is ready (called again when one becomes ready). */
    void maybeGreet(ModelSession session) {
        if (due && !sent && session != null) {
            sent = true;
            session.say(instructions);
        }
    }
}
