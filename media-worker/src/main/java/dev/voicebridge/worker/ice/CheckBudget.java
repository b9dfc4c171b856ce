package dev.voicebridge.worker.ice;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One call's allowance of outgoing STUN, asked before each datagram leaves ({@link
 * CallStunSocket#send}, on ice4j's threads): every destination must pass the {@link
 * CandidatePolicy} (also peer-reflexive ones, learnt from a request's source, which the offer's
 * filtering never saw) and every datagram needs a token of the per-second bucket; binding requests
 * also need a new destination within the distinct-destination bound and — until a pair is
 * selected — room in the total. A refused datagram is dropped as if lost: ice4j retransmits or
 * times the check out.
 */
final class CheckBudget {
    private final IceGuard guard;
    private final CandidatePolicy policy;
    private final CheckLimits limits;
    private final LongSupplier nanoClock;
    private final Set<InetSocketAddress> destinations = new HashSet<>();
    private final long nanosPerToken;
    private final long bucketNanos;

    // Guarded by this.
    private long bucketEmptyAtNanos;
    private int requests;
    private boolean selected;
    private long refusedCount;

    CheckBudget(IceGuard guard, CandidatePolicy policy, CheckLimits limits, LongSupplier nanoClock) {
        this.guard = guard;
        this.policy = policy;
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.nanosPerToken = 1_000_000_000L / limits.perSecond();
        this.bucketNanos = nanosPerToken * limits.perSecond(); // one second's worth of tokens
        this.bucketEmptyAtNanos = nanoClock.getAsLong() - bucketNanos; // starts full
    }

    /**
     * Whether a STUN datagram to {@code to} may leave now (counted when it may). Every datagram
     * needs an allowed destination and a token of the rate — also responses, or an offerer who
     * knows the call's password could reflect them off us to spoofed sources at any rate; binding
     * requests also need a place among the distinct destinations and, until a pair is selected,
     * room in the total.
     */
    synchronized boolean admit(InetSocketAddress to, boolean request) {
        Refusal why = to.getAddress() == null ? Refusal.UNUSABLE : policy.refusal(to.getAddress());
        if (request) {
            if (why == null && !destinations.contains(to) && destinations.size() >= policy.maxCandidates()) {
                why = Refusal.DESTINATIONS;
            }
            if (why == null && !selected && requests >= limits.totalBeforeSelection()) {
                why = Refusal.TOTAL;
            }
        }
        if (why == null) {
            // Token bucket as a virtual time: empty at bucketEmptyAtNanos, full a second later.
            long now = nanoClock.getAsLong();
            long emptyAt = Math.max(bucketEmptyAtNanos, now - bucketNanos);
            if (emptyAt + nanosPerToken > now) {
                why = Refusal.RATE;
            } else {
                bucketEmptyAtNanos = emptyAt + nanosPerToken;
            }
        }
        if (why != null) {
            refusedCount++;
            guard.refusedSend(why);
            return false;
        }
        if (request) {
            destinations.add(to);
            requests++;
        }
        return true;
    }

    /** A pair was selected: from now on only the rate bounds the checks (consent freshness). */
    synchronized void selected() {
        selected = true;
    }

    synchronized long refused() {
        return refusedCount;
    }

    synchronized int destinations() {
        return destinations.size();
    }
}
