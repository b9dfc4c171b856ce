package dev.voicebridge.worker.ice;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.helidon.log.RateLimitedLog;
import dev.voicebridge.media.sdp.IceCandidate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The worker's bounds on where and how much its calls' ICE sends ({@link CandidatePolicy},
 * {@link CheckLimits}), and the worker-wide count of what they refused, by {@link Refusal}. One per
 * worker; thread-safe.
 */
public final class IceGuard {
    private static final Logger LOG = Logger.getLogger(IceGuard.class.getName());

    private final CandidatePolicy policy;
    private final CheckLimits limits;
    private final LongSupplier nanoClock;
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 1, Duration.ofSeconds(10));

    public IceGuard(CandidatePolicy policy, CheckLimits limits) {
        this(policy, limits, System::nanoTime);
    }

    IceGuard(CandidatePolicy policy, CheckLimits limits, LongSupplier nanoClock) {
        this.policy = policy;
        this.limits = limits;
        this.nanoClock = nanoClock;
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    public CandidatePolicy policy() {
        return policy;
    }

    /**
     * The offer's candidates the worker will check, highest priority first, at most
     * {@link CandidatePolicy#maxCandidates()}. What it refuses is counted and, when anything was,
     * logged in one line for the call.
     *
     * @param call the VoiceCall's name, as the call's session knows it
     */
    public List<RemoteCandidate> select(String call, List<IceCandidate> offered) {
        var reasons = new EnumMap<Refusal, Integer>(Refusal.class);
        var seen = new HashSet<InetSocketAddress>();
        var taken = new ArrayList<RemoteCandidate>();
        for (IceCandidate c : offered) {
            RemoteCandidate r = RemoteCandidate.of(c);
            Refusal why = r == null
                    ? Refusal.UNUSABLE
                    : seen.add(r.address()) ? policy.refusal(r.address().getAddress()) : Refusal.UNUSABLE;
            if (why == null) {
                taken.add(r);
            } else {
                reasons.merge(why, 1, Integer::sum);
            }
        }
        taken.sort(Comparator.comparingLong(RemoteCandidate::priority).reversed());
        if (taken.size() > policy.maxCandidates()) {
            reasons.merge(Refusal.OVER_LIMIT, taken.size() - policy.maxCandidates(), Integer::sum);
            taken.subList(policy.maxCandidates(), taken.size()).clear();
        }
        reasons.forEach((why, n) -> refused.get(why).add(n));
        if (!reasons.isEmpty()) {
            // Sessions know a call by its VoiceCall name (a hash): no raw WhatsApp call id here.
            LOG.info(() -> LogLine.of(
                    "call.ice-candidates-refused",
                    LogLine.CALL,
                    call,
                    "checking",
                    taken.size(),
                    "offered",
                    offered.size(),
                    "refused",
                    reasons.entrySet().stream()
                            .map(e -> e.getKey().label() + " " + e.getValue())
                            .collect(Collectors.joining(", "))));
        }
        return List.copyOf(taken);
    }

    /** A new call's budget of checks. */
    CheckBudget budget() {
        return new CheckBudget(this, policy, limits, nanoClock);
    }

    /** A datagram of a call's ICE was not sent: counted, logged at most once per reason and interval. */
    void refusedSend(Refusal why) {
        refused.get(why).increment();
        rateLimited.log(
                Level.INFO,
                why.label(),
                () -> "not sending a STUN datagram of a call's ICE: " + why.label()
                        + "; counted in voicebridge_worker_ice_refused{reason=\"" + why.label() + "\"}");
    }

    /** Worker-wide refusals so far, by reason. */
    public long refused(Refusal why) {
        return refused.get(why).sum();
    }
}
