package dev.voicebridge.e2e;

/** The media worker's JVM in the benchmarks: as its image runs it under the chart's memory limit. */
final class WorkerJvm {
    /**
     * The chart's 1 GiB memory limit ({@code -XX:MaxRAM}, since the benchmark's worker is not in a
     * container), and the image's heap share and collector (the jib {@code jvmFlags} of the parent
     * and media-worker poms).
     */
    static final String IMAGE_LIKE = "-XX:MaxRAM=1g -XX:MaxRAMPercentage=75 -XX:+UseG1GC";

    private WorkerJvm() {}
}
