package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The real threads on the real clock: they tick, each call on one named thread, and stop. */
class PacerThreadTest {
    @Test
    void runsTicksOnItsNamedThreadUntilClosed() {
        var threads = new CopyOnWriteArraySet<String>();
        var ticks = new AtomicLong();
        try (Pacer pacer = new Pacer("media-pacer-it", NanoClock.system(), 5, 5, 1)) {
            pacer.register((tick, due) -> {
                threads.add(Thread.currentThread().getName());
                ticks.incrementAndGet();
            });
            pacer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 10);
        }
        long afterClose = ticks.get();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> ticks.get() <= afterClose + 1);
        assertThat(threads).containsExactly("media-pacer-it");
    }

    /** Calls are shared out between the shards, and each call is only ever ticked by its shard's thread. */
    @Test
    void eachCallIsTickedByOneShardsThreadAndTheShardsShareTheCalls() {
        Map<Integer, Set<String>> threadsOf = new ConcurrentHashMap<>();
        var ticks = new AtomicLong();
        try (Pacer pacer = new Pacer("media-pacer-it", NanoClock.system(), 5, 5, 2)) {
            for (int call = 0; call < 6; call++) {
                int id = call;
                pacer.register((tick, due) -> {
                    threadsOf
                            .computeIfAbsent(id, k -> new CopyOnWriteArraySet<>())
                            .add(Thread.currentThread().getName());
                    ticks.incrementAndGet();
                });
            }
            pacer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 120);
        }
        assertThat(threadsOf).hasSize(6);
        assertThat(threadsOf.values()).allSatisfy(names -> assertThat(names).hasSize(1));
        List<String> byCall = IntStream.range(0, 6)
                .mapToObj(i -> threadsOf.get(i).iterator().next())
                .toList();
        assertThat(byCall).containsOnly("media-pacer-it-0", "media-pacer-it-1");
        assertThat(byCall.stream().filter("media-pacer-it-0"::equals).count()).isEqualTo(3);
    }

    @Test
    void oneThreadPerProcessorByDefault() {
        assertThat(MediaConfig.DEFAULTS.pacerThreads()).isZero();
        try (Pacer pacer = new Pacer("media-pacer-it", MediaConfig.DEFAULTS)) {
            assertThat(pacer.shards())
                    .isEqualTo(Math.min(8, Runtime.getRuntime().availableProcessors()));
        }
    }
}
