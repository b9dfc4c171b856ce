package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final Pacer pacer = new Pacer("media-pacer-test", now::get, 5, 5);

    @Test
    void ticksStayOnTheAbsoluteScheduleHoweverLongEachTickTakes() {
        List<Long> scheduled = new ArrayList<>();
        List<Long> ticks = new ArrayList<>();
        pacer.register((tick, due) -> {
            ticks.add(tick);
            scheduled.add(due);
            now.addAndGet(7 * MS); // every tick costs 7 ms: a relative schedule would drift 7 ms per tick
        });
        long start = pacer.dueNanos(0);
        for (int i = 0; i < 100; i++) {
            // The loop wakes exactly when the next tick is due.
            now.set(Math.max(now.get(), pacer.dueNanos(i)));
            pacer.runDue(now.get());
        }
        assertThat(ticks).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(ticks.get(i)).isEqualTo(i);
            assertThat(scheduled.get(i)).isEqualTo(start + i * 20 * MS);
        }
        assertThat(pacer.lateTicks()).isZero();
        assertThat(pacer.skippedTicks()).isZero();
    }

    /** The shared port holds the sender's wake-up for a tick's packets and gives it once after them. */
    @Test
    void aroundTicksRunsOnceBeforeAndOnceAfterEachTicksCalls() {
        List<String> order = new ArrayList<>();
        pacer.register((tick, due) -> order.add("call A " + tick));
        pacer.register((tick, due) -> order.add("call B " + tick));
        var hooks = pacer.aroundTicks(() -> order.add("before"), () -> order.add("after"));
        pacer.runDue(pacer.dueNanos(0));
        now.set(pacer.dueNanos(1));
        pacer.runDue(now.get());
        hooks.close();
        now.set(pacer.dueNanos(2));
        pacer.runDue(now.get());

        assertThat(order)
                .containsExactly(
                        "before",
                        "call A 0",
                        "call B 0",
                        "after",
                        "before",
                        "call A 1",
                        "call B 1",
                        "after",
                        "call A 2",
                        "call B 2");
    }

    @Test
    void aFailingHookIsCountedAndTheCallsStillTick() {
        List<Long> ticks = new ArrayList<>();
        pacer.register((tick, due) -> ticks.add(tick));
        pacer.aroundTicks(
                () -> {
                    throw new IllegalStateException("boom");
                },
                () -> {});
        pacer.runDue(pacer.dueNanos(0));
        assertThat(ticks).containsExactly(0L);
        assertThat(pacer.tickErrors()).isEqualTo(1);
    }

    @Test
    void aShortStallIsCaughtUpAndCountedLate() {
        List<Long> ticks = new ArrayList<>();
        pacer.register((tick, due) -> ticks.add(tick));
        pacer.runDue(pacer.dueNanos(0));
        now.set(pacer.dueNanos(3) + MS); // stalled 61 ms
        assertThat(pacer.runDue(now.get())).isEqualTo(3);
        assertThat(ticks).containsExactly(0L, 1L, 2L, 3L);
        assertThat(pacer.lateTicks()).isEqualTo(2); // ticks 1 and 2 ran > 5 ms late; tick 3 only 1 ms
        assertThat(pacer.dueNanos(4) - pacer.dueNanos(0)).isEqualTo(80 * MS);
    }

    @Test
    void aLongStallSkipsAheadWithoutBurstingButTickNumbersKeepTime() {
        List<Long> ticks = new ArrayList<>();
        pacer.register((tick, due) -> ticks.add(tick));
        pacer.runDue(pacer.dueNanos(0));
        now.set(pacer.dueNanos(100)); // a 2 s stall (GC, VM pause)
        int ran = pacer.runDue(now.get());
        assertThat(ran).isEqualTo(5);
        assertThat(pacer.skippedTicks()).isEqualTo(95);
        assertThat(ticks).endsWith(96L, 97L, 98L, 99L, 100L);
    }

    @Test
    void aFailingCallNeverStopsTheOthersAndUnregisteredCallsStopTicking() {
        List<Long> healthy = new ArrayList<>();
        pacer.register((tick, due) -> {
            throw new IllegalStateException("boom");
        });
        var registration = pacer.register((tick, due) -> healthy.add(tick));
        assertThat(pacer.registered()).isEqualTo(2);
        pacer.runDue(pacer.dueNanos(0));
        pacer.runDue(pacer.dueNanos(1));
        registration.close();
        pacer.runDue(pacer.dueNanos(2));
        assertThat(healthy).containsExactly(0L, 1L);
        assertThat(pacer.tickErrors()).isEqualTo(3);
        assertThat(pacer.registered()).isEqualTo(1);
    }

    @Test
    void nothingRunsBeforeItIsDue() {
        pacer.register((tick, due) -> {});
        assertThat(pacer.runDue(pacer.dueNanos(0) - 1)).isZero();
        assertThat(pacer.runDue(pacer.dueNanos(0))).isEqualTo(1);
        assertThat(pacer.runDue(pacer.dueNanos(1) - 1)).isZero();
    }
}
