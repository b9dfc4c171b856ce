package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the local stack copies its services' output. */
class ServiceProcessTest {
    @Test
    void copiesEachLinePrefixedWithTheServiceName() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        var child = new ProcessBuilder("printf", "one\\ntwo\\n").start();

        ServiceProcess.pumpOutput("worker-a", child.getInputStream(), out).join(Duration.ofSeconds(10));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("worker-a  | one%nworker-a  | two%n".formatted());
    }

    /**
     * A silent child blocks its reader in a native pipe read. Were the readers virtual threads, each
     * would hold a carrier the whole time; more readers than cores must leave virtual threads
     * running.
     */
    @Test
    void silentChildrenLeaveVirtualThreadsRunning() throws Exception {
        int readers = Runtime.getRuntime().availableProcessors() + 2;
        var children = new ArrayList<Process>();
        var pumps = new ArrayList<Thread>();
        try {
            for (int i = 0; i < readers; i++) {
                var child = new ProcessBuilder("sleep", "30").start();
                children.add(child);
                pumps.add(ServiceProcess.pumpOutput("silent-" + i, child.getInputStream(), System.out));
            }
            assertThat(pumps).noneMatch(Thread::isVirtual).allMatch(Thread::isDaemon);

            var ran = new CountDownLatch(50);
            for (int i = 0; i < 50; i++) {
                Thread.ofVirtual().start(ran::countDown);
            }
            assertThat(ran.await(10, TimeUnit.SECONDS))
                    .as("virtual threads ran")
                    .isTrue();
        } finally {
            children.forEach(Process::destroyForcibly);
        }
        for (Thread pump : pumps) {
            assertThat(pump.join(Duration.ofSeconds(10)))
                    .as(pump.getName() + " ended with its child")
                    .isTrue();
        }
    }
}
