package dev.voicebridge.signaling.calls;

import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Requests waiting for a call's answer, keyed by resource name. The single VoiceCall informer
 * completes them ({@link #offer}); no request opens a watch of its own, so a thousand concurrent
 * setups cost one watch and a map entry each. Concurrent waits on one name share one future.
 */
public final class AnswerWaiters {
    private final Map<String, Entry> pending = new ConcurrentHashMap<>();
    private final AtomicInteger peak = new AtomicInteger();

    private record Entry(CompletableFuture<SetupOutcome> future, AtomicInteger waiters) {}

    /**
     * Waits until {@code current} (a read of the cache made after registering, so an update that
     * landed between creation and registration is not missed) or the informer says the setup left
     * Pending. Returns {@link SetupOutcome.Pending} on timeout.
     */
    public SetupOutcome await(String name, Duration timeout, Function<String, VoiceCall> current)
            throws InterruptedException {
        Entry entry = pending.compute(name, (k, existing) -> {
            Entry e = existing != null ? existing : new Entry(new CompletableFuture<>(), new AtomicInteger());
            e.waiters().incrementAndGet();
            return e;
        });
        peak.accumulateAndGet(pending.size(), Math::max);
        try {
            VoiceCall now = current.apply(name);
            if (now != null) {
                complete(name, SetupOutcome.of(now));
            }
            return entry.future().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new SetupOutcome.Pending();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiter futures never fail", e);
        } finally {
            pending.computeIfPresent(name, (k, e) -> e.waiters().decrementAndGet() <= 0 ? null : e);
        }
    }

    /** Called from the informer's event thread: only completes a future, never blocks. */
    public void offer(VoiceCall call) {
        if (call.getMetadata() == null || pending.isEmpty()) {
            return;
        }
        complete(call.getMetadata().getName(), SetupOutcome.of(call));
    }

    private void complete(String name, SetupOutcome outcome) {
        if (outcome instanceof SetupOutcome.Pending) {
            return;
        }
        Entry entry = pending.get(name);
        if (entry != null) {
            entry.future().complete(outcome);
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Most names waited on at once since start; tests use it to see that waits were concurrent. */
    public int peakPending() {
        return peak.get();
    }
}
