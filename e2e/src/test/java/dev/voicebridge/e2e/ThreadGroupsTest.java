package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The worker's threads as /proc names them (15 characters at most) land in the group that does their work. */
class ThreadGroupsTest {
    @Test
    void namesAsProcShowsThem() {
        assertThat(ThreadGroups.of("media-pacer")).startsWith("pacer");
        assertThat(ThreadGroups.of("media-pacer-0")).startsWith("pacer");
        assertThat(ThreadGroups.of("media-pacer-13")).startsWith("pacer");
        assertThat(ThreadGroups.of("call-agent-abc")).startsWith("model I/O");
        assertThat(ThreadGroups.of("model-socket-wa")).startsWith("model I/O");
        assertThat(ThreadGroups.of("HttpClient-1-Se")).startsWith("Kubernetes");
        assertThat(ThreadGroups.of("JdkHttpClientFa")).startsWith("Kubernetes");
        assertThat(ThreadGroups.of("VirtualThread-u")).startsWith("virtual threads");
        assertThat(ThreadGroups.of("MasterPoller")).startsWith("virtual threads");
        assertThat(ThreadGroups.of("ForkJoinPool-1-")).startsWith("virtual threads");
        assertThat(ThreadGroups.of("ice4j.Agent-exe")).startsWith("ICE");
        assertThat(ThreadGroups.of("G1 Refine#0")).startsWith("JVM");
        assertThat(ThreadGroups.of("something-else")).isEqualTo("other");
    }
}
