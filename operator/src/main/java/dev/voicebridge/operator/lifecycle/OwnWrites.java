package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The operator's latest write of each call that its informer's copy may not show yet, so that a
 * reconcile reads the call from the API server only then. The informer delivers every version in
 * order, so a copy whose resourceVersion is exactly that of our last write has it and anything
 * later has come as an event of its own; until such a copy is seen, a reconcile reads the call,
 * and once a read returns the very version the informer holds, the informer has caught up.
 * Versions are only compared for equality: Kubernetes resourceVersions are opaque.
 *
 * <p>Why this is safe for everything else that may be missing from the copy (another operator's
 * write-ahead record, a worker's write): every write that records a decision is guarded by the
 * resourceVersion it was decided on, so a decision on an older copy fails with a 409 and the
 * reconcile reads the call and decides again; the informer's next event triggers a reconcile of
 * its own.
 *
 * <p>Thread-safety: JOSDK runs one reconcile of a call at a time; the map is shared by all calls.
 */
final class OwnWrites {
    private final Map<String, String> unseen = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    /** Records {@code written}, the resource one of our writes returned. */
    void wrote(VoiceCall written) {
        if (written == null || written.getMetadata().getResourceVersion() == null) {
            return;
        }
        unseen.put(key(written), written.getMetadata().getResourceVersion());
    }

    /**
     * The call to decide on: {@code cached} when it shows our last write (or we have none), else
     * what {@code read} returns from the API server (null when the call is gone).
     */
    VoiceCall current(VoiceCall cached, UnaryOperator<VoiceCall> read) {
        String key = key(cached);
        String ours = unseen.get(key);
        String have = cached.getMetadata().getResourceVersion();
        if (ours == null) {
            return cached;
        }
        if (ours.equals(have)) {
            unseen.remove(key, ours);
            return cached;
        }
        reads.incrementAndGet();
        VoiceCall fresh = read.apply(cached);
        if (fresh == null || Objects.equals(fresh.getMetadata().getResourceVersion(), have)) {
            // Gone, or the informer's copy is the API server's latest: nothing of ours is missing.
            unseen.remove(key, ours);
        }
        return fresh;
    }

    /** The call was deleted: nothing to remember. */
    void forget(VoiceCall call) {
        unseen.remove(key(call));
    }

    /** Reads made because the informer's copy lagged behind our own write. */
    long reads() {
        return reads.get();
    }

    /** Calls whose last write by us the informer has not shown yet. */
    int pending() {
        return unseen.size();
    }

    private static String key(VoiceCall call) {
        return call.getMetadata().getNamespace() + "/" + call.getMetadata().getName();
    }
}
