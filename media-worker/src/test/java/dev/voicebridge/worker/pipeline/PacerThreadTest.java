package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The real thread on the real clock: it ticks, on its own named thread, and stops. */
class PacerThreadTest {
    @Test
    void runsTicksOnItsNamedThreadUntilClosed() {
        var threads = new CopyOnWriteArrayList<String>();
        var ticks = new AtomicLong();
        try (Pacer pacer = new Pacer("media-pacer-it", MediaConfig.DEFAULTS)) {
            pacer.register((tick, due) -> {
                threads.addIfAbsent(Thread.currentThread().getName());
                ticks.incrementAndGet();
            });
            pacer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 10);
        }
        long afterClose = ticks.get();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> ticks.get() <= afterClose + 1);
        assertThat(threads).containsExactly("media-pacer-it");
    }
}
