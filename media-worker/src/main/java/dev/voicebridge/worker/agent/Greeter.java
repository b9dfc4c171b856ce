package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.model.ModelSession;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The greeting: asked for once, heard {@code leadIn} after the accept once media is up (the caller
 * hears a moment of line before the agent speaks). Owner thread only.
 *
 * <p>When the playout may hold the whole greeting ({@code ahead}: the adapter's playout depth is
 * unbounded, the model sends faster than real time and we cut it off), the greeting is asked for as
 * soon as ICE and DTLS are up, while the call is still only pre-accepted, and its audio waits in
 * {@link AgentPlayout} until the lead-in after accept: the caller hears it at the lead-in instead
 * of a model round trip later. The price: a call that is never accepted has still been greeted by
 * the model (its tokens are billed). A model that stops talking by itself streams at real time
 * into a queue only two frames deep, which cannot hold a greeting: it is asked for after the
 * lead-in, as before.
 */
final class Greeter {
    private final String instructions;
    private final Duration leadIn;
    private final boolean ahead;
    private final AgentPlayout playout;
    private boolean due;
    private boolean sent;

    Greeter(VoiceAgentSpec agent, Duration defaultLeadIn, boolean ahead, AgentPlayout playout) {
        var g = agent.getGreeting();
        this.instructions =
                g == null || g.getInstructions() == null || g.getInstructions().isBlank() ? null : g.getInstructions();
        this.leadIn = g != null && g.getLeadInMillis() != null ? Duration.ofMillis(g.getLeadInMillis()) : defaultLeadIn;
        this.ahead = ahead;
        this.playout = playout;
    }

    /** ICE and DTLS are up, the call perhaps only pre-accepted: a greeting that can wait is asked for now. */
    void mediaConnected(ModelSession session) {
        if (ahead && instructions != null && !due) {
            playout.hold();
            due = true;
            maybeGreet(session);
        }
    }

    /**
     * Media is up (accepted and connected): the greeting is heard once the lead-in has passed since
     * {@code acceptedAt}, the accept as the service that made it recorded it (null: now).
     */
    void mediaUp(
            ScheduledExecutorService owner,
            Consumer<Runnable> post,
            Supplier<ModelSession> session,
            Instant acceptedAt,
            Instant now) {
        if (instructions == null) {
            return;
        }
        long wait = remainingLeadIn(leadIn, acceptedAt, now).toMillis();
        if (ahead) {
            mediaConnected(session.get()); // no-op when already asked for
            owner.schedule(() -> post.accept(playout::release), wait, TimeUnit.MILLISECONDS);
            return;
        }
        owner.schedule(
                () -> post.accept(() -> {
                    due = true;
                    maybeGreet(session.get());
                }),
                wait,
                TimeUnit.MILLISECONDS);
    }

    /**
     * What is left of the lead-in at {@code now}: the lead-in counts from the accept, so the time
     * the accept took to reach this worker (a watch event, a status write) is silence the caller
     * already heard, not added to it. Never negative; never more than the lead-in (a clock of the
     * accepting service ahead of ours, or no accept time, counts as accepted now).
     */
    static Duration remainingLeadIn(Duration leadIn, Instant acceptedAt, Instant now) {
        if (acceptedAt == null || acceptedAt.isAfter(now)) {
            return leadIn;
        }
        Duration left = leadIn.minus(Duration.between(acceptedAt, now));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Greets when due and a session is ready (called again when one becomes ready). */
    void maybeGreet(ModelSession session) {
        if (due && !sent && session != null) {
            sent = true;
            session.say(instructions);
        }
    }
}
