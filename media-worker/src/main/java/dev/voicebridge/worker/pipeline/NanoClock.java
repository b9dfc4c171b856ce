package dev.voicebridge.worker.pipeline;

/** A monotonic clock in nanoseconds; tests inject a manual one instead of sleeping. */
@FunctionalInterface
public interface NanoClock {
    long nanoTime();

    static NanoClock system() {
        return System::nanoTime;
    }
}
