package dev.voicebridge.operator.placement;

import java.time.Duration;
import java.time.Instant;

/**
 * How much of its capacity a worker that has just become ready takes while warm workers still have
 * room. A new worker's JVM runs its call paths in the interpreter and compiles them for its first
 * minutes; least-loaded placement alone would send it every new call (it is the emptiest), all
 * while it is slowest. Over {@code window} after its pod turned Ready its share grows linearly from
 * {@value #MIN_SHARE_PERCENT} % to all of it (the idea of Envoy's and Istio's slow-start mode). The
 * ramp only orders: a call that no warm worker has room for still goes to a warming one.
 *
 * @param window how long a worker warms up after it turned Ready; zero = no slow start
 */
public record SlowStart(Duration window) {
    /** The share a worker takes in its first instant of readiness. */
    static final int MIN_SHARE_PERCENT = 10;

    public static final SlowStart OFF = new SlowStart(Duration.ZERO);

    public SlowStart {
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("slow-start window must be zero or positive, got " + window);
        }
    }

    /**
     * The calls a worker takes before warm workers are full.
     *
     * @param readySince when its Ready condition turned true; {@code null} when unknown (treated as
     *     warm: a worker of unknown age is not held back)
     */
    public int capacityAt(int capacity, Instant readySince, Instant now) {
        if (window.isZero() || readySince == null || capacity <= 0) {
            return capacity;
        }
        long age = Duration.between(readySince, now).toMillis();
        long windowMillis = window.toMillis();
        if (age >= windowMillis) {
            return capacity;
        }
        // A ready time in the future (clock skew between the kubelet and us) counts as just ready.
        double share = Math.max(MIN_SHARE_PERCENT / 100.0, Math.max(0, age) / (double) windowMillis);
        return Math.max(1, Math.min(capacity, (int) Math.ceil(capacity * share)));
    }
}
