package dev.voicebridge.operator.placement;

import java.util.Collection;
import java.util.Optional;

/** Chooses the worker for a new call. Pure: same input, same answer; no I/O. */
@FunctionalInterface
public interface PlacementStrategy {
    Optional<WorkerCandidate> choose(Collection<WorkerCandidate> workers);
}
