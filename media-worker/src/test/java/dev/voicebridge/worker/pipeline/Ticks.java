package dev.voicebridge.worker.pipeline;

/** A whole pacer tick for one call driven by a test: its send path, then its receive side. */
public final class Ticks {
    private Ticks() {}

    public static void tick(Pacer.Tickable call, long tick, long scheduledNanos) {
        call.onTick(tick, scheduledNanos);
        call.afterSends(tick);
    }
}
