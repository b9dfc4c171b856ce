package dev.voicebridge.operator.placement;

/**
 * A media worker as placement sees it. Plain values: placement never touches the Kubernetes client.
 *
 * @param name pod name (the value of the call's worker label)
 * @param node node the pod runs on, may be {@code null}
 * @param zone zone of the worker, may be {@code null}
 * @param ready the pod is Ready
 * @param draining the worker announced it drains (takes no new calls)
 * @param capacity calls it runs at once
 * @param load calls currently assigned to it and not ended
 * @param warmCapacity the calls it takes while other workers have room: its capacity, or less while
 *     it warms up after turning Ready ({@link SlowStart})
 */
public record WorkerCandidate(
        String name,
        String node,
        String zone,
        boolean ready,
        boolean draining,
        int capacity,
        int load,
        int warmCapacity) {

    /** A warm worker: it takes its whole capacity in turn with the others. */
    public WorkerCandidate(
            String name, String node, String zone, boolean ready, boolean draining, int capacity, int load) {
        this(name, node, zone, ready, draining, capacity, load, capacity);
    }

    public boolean acceptsCalls() {
        return ready && !draining && load < capacity;
    }

    public int free() {
        return Math.max(0, capacity - load);
    }

    /** Fraction of capacity in use; a zero-capacity worker counts as full. */
    public double utilisation() {
        return capacity <= 0 ? 1.0 : (double) load / capacity;
    }

    /** Accepts calls and is below the share it takes while others have room. */
    public boolean belowWarmCapacity() {
        return acceptsCalls() && load < warmCapacity;
    }

    /** Fraction of the warm capacity in use (the same as {@link #utilisation()} for a warm worker). */
    public double warmUtilisation() {
        return warmCapacity <= 0 ? 1.0 : (double) load / warmCapacity;
    }
}
