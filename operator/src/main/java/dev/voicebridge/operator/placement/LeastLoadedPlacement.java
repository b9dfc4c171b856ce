package dev.voicebridge.operator.placement;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Least loaded first among ready, non-draining workers with free capacity. Load is compared as a
 * fraction of capacity so a big worker is not starved by a small idle one; ties go to the worker
 * with more free slots, then to the name, so the choice is deterministic. With a preferred zone,
 * workers in that zone win while any of them has room; the others are the fallback.
 */
public final class LeastLoadedPlacement implements PlacementStrategy {
    private static final Comparator<WorkerCandidate> ORDER = Comparator.comparingDouble(WorkerCandidate::utilisation)
            .thenComparing(Comparator.comparingInt(WorkerCandidate::free).reversed())
            .thenComparing(WorkerCandidate::name);

    private final String preferredZone;

    /** @param preferredZone zone to prefer, or {@code null}/empty for none */
    public LeastLoadedPlacement(String preferredZone) {
        this.preferredZone = preferredZone == null || preferredZone.isBlank() ? null : preferredZone;
    }

    @Override
    public Optional<WorkerCandidate> choose(Collection<WorkerCandidate> workers) {
        if (preferredZone != null) {
            Optional<WorkerCandidate> inZone = workers.stream()
                    .filter(WorkerCandidate::acceptsCalls)
                    .filter(w -> Objects.equals(preferredZone, w.zone()))
                    .min(ORDER);
            if (inZone.isPresent()) {
                return inZone;
            }
        }
        return workers.stream().filter(WorkerCandidate::acceptsCalls).min(ORDER);
    }
}
