package dev.voicebridge.operator.lifecycle;

/** The assigned worker as the registry sees it right now. */
public enum WorkerHealth {
    /** No worker assigned. */
    NONE,
    READY,
    /** The pod exists but is not Ready (see {@link CallFacts#workerNotReadySince()}). */
    NOT_READY,
    /** The pod no longer exists. */
    GONE
}
