package dev.voicebridge.operator.placement;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Least loaded first among ready, non-draining workers with free capacity. Load is compared as a
 * fraction of capacity so a big worker is not starved by a small idle one; ties go to the worker
 * with more free slots, then to the name, so the choice is deterministic. With a preferred zone,
 * workers in that zone win while any of them has room; the others are the fallback.
 *
 * <p>Within each of those groups a worker that is still warming up ({@link SlowStart}) counts its
 * load against the share it may take so far: first every worker below that share competes, least
 * loaded first; only when none is below it does a call go to the least loaded of all that have
 * room, so slow start never turns a call away.
 */
public final class LeastLoadedPlacement implements PlacementStrategy {
    private static final Comparator<WorkerCandidate> WARM_ORDER = order(WorkerCandidate::warmUtilisation);
    private static final Comparator<WorkerCandidate> ORDER = order(WorkerCandidate::utilisation);

    /** By {@code utilisation}, then more free slots, then name. */
    private static Comparator<WorkerCandidate> order(ToDoubleFunction<WorkerCandidate> utilisation) {
        return Comparator.comparingDouble(utilisation)
                .thenComparing(Comparator.comparingInt(WorkerCandidate::free).reversed())
                .thenComparing(WorkerCandidate::name);
    }

    private final String preferredZone;

    /** @param preferredZone zone to prefer, or {@code null}/empty for none */
    public LeastLoadedPlacement(String preferredZone) {
        this.preferredZone = preferredZone == null || preferredZone.isBlank() ? null : preferredZone;
    }

    @Override
    public Optional<WorkerCandidate> choose(Collection<WorkerCandidate> workers) {
        List<WorkerCandidate> open =
                workers.stream().filter(WorkerCandidate::acceptsCalls).toList();
        if (preferredZone != null) {
            Optional<WorkerCandidate> inZone = least(open.stream()
                    .filter(w -> Objects.equals(preferredZone, w.zone()))
                    .toList());
            if (inZone.isPresent()) {
                return inZone;
            }
        }
        return least(open);
    }

    private static Optional<WorkerCandidate> least(List<WorkerCandidate> open) {
        Optional<WorkerCandidate> belowShare =
                open.stream().filter(WorkerCandidate::belowWarmCapacity).min(WARM_ORDER);
        return belowShare.isPresent() ? belowShare : open.stream().min(ORDER);
    }
}
