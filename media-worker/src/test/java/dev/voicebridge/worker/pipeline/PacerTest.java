package dev.voicebridge.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * Every call's send path of a tick runs, and its packets go to the sender, before any call's
     * receive side: no caller's packet waits for another call's decoding. The receive side's time
     * is not part of the tick's lateness, and a failing one is counted without stopping the rest.
     */
    @Test
    void everyCallSendsBeforeAnyCallsReceiveSideRuns() {
        List<String> order = new ArrayList<>();
        class Call implements Pacer.Tickable {
            final String name;

            Call(String name) {
                this.name = name;
            }

            @Override
            public void onTick(long tick, long due) {
                order.add("send " + name + " " + tick);
                now.addAndGet(MS);
            }

            @Override
            public void afterSends(long tick) {
                order.add("receive " + name + " " + tick);
                now.addAndGet(8 * MS); // decoding that a packet waited for would make the tick late
                if (name.equals("A")) {
                    throw new IllegalStateException("boom");
                }
            }
        }
        pacer.register(new Call("A"));
        pacer.register(new Call("B"));
        pacer.aroundTicks(() -> {}, () -> order.add("flush"));
        for (int i = 0; i < 2; i++) {
            now.set(Math.max(now.get(), pacer.dueNanos(i)));
            pacer.runDue(now.get());
        }

        assertThat(order)
                .containsExactly(
                        "send A 0",
                        "send B 0",
                        "flush",
                        "receive A 0",
                        "receive B 0",
                        "send A 1",
                        "send B 1",
                        "flush",
                        "receive A 1",
                        "receive B 1");
        assertThat(pacer.ticksFinishedLaterThan(2)).isZero(); // 2 ms of sends each; 16 ms of decoding after
        assertThat(pacer.tickErrors()).isEqualTo(2);
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

    /** When a tick's last call was done, against its due time: what the callers hear as a longer gap. */
    @Test
    void countsTicksByHowLateTheirLastCallWasDone() {
        long[] costs = {1, 3, 12, 60}; // ms per tick, all on the one registered call; then nothing
        pacer.register((tick, due) -> now.addAndGet(tick < costs.length ? costs[(int) tick] * MS : 0));
        for (int i = 0; i < 4; i++) {
            now.set(Math.max(now.get(), pacer.dueNanos(i)));
            pacer.runDue(now.get());
        }
        // Tick 3 ended 60 ms late, at tick 6's due time: ticks 4 and 5 catch up, 40 and 20 ms late.
        assertThat(pacer.runDue(now.get())).isEqualTo(3);
        assertThat(pacer.ticks()).isEqualTo(7);
        assertThat(pacer.ticksFinishedLaterThan(2)).isEqualTo(5); // 3, 12, 60, 40, 20
        assertThat(pacer.ticksFinishedLaterThan(5)).isEqualTo(4);
        assertThat(pacer.ticksFinishedLaterThan(10)).isEqualTo(4);
        assertThat(pacer.ticksFinishedLaterThan(15)).isEqualTo(3);
        assertThat(pacer.ticksFinishedLaterThan(20)).isEqualTo(2);
        assertThat(pacer.ticksFinishedLaterThan(30)).isEqualTo(2);
        assertThat(pacer.ticksFinishedLaterThan(50)).isEqualTo(1);
        assertThatThrownBy(() -> pacer.ticksFinishedLaterThan(7)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Two shards: calls join the one with fewer calls, and shard 1 ticks half a period after shard 0,
     * so the two bursts of work take turns.
     */
    @Test
    void shardsShareTheCallsAndTickHalfAPeriodApart() {
        var sharded = new Pacer("media-pacer-test", now::get, 5, 5, 2);
        List<String> order = new ArrayList<>();
        var a = sharded.register((tick, due) -> order.add("A" + tick + "@" + (due - sharded.dueNanos(0)) / MS));
        sharded.register((tick, due) -> order.add("B" + tick + "@" + (due - sharded.dueNanos(0)) / MS));
        sharded.register((tick, due) -> order.add("C" + tick + "@" + (due - sharded.dueNanos(0)) / MS));
        assertThat(sharded.registered()).isEqualTo(3);

        sharded.runDue(sharded.dueNanos(0));
        sharded.runDue(sharded.dueNanos(0) + 10 * MS);
        sharded.runDue(sharded.dueNanos(1));
        assertThat(order).containsExactly("A0@0", "C0@0", "B0@10", "A1@20", "C1@20");

        // A leaves shard 0; the next call joins it again (one call each), not shard 1.
        a.close();
        order.clear();
        sharded.register((tick, due) -> order.add("D" + tick + "@" + (due - sharded.dueNanos(0)) / MS));
        sharded.runDue(sharded.dueNanos(1) + 10 * MS);
        sharded.runDue(sharded.dueNanos(2));
        assertThat(order).containsExactly("B1@30", "C2@40", "D2@40");
        assertThat(sharded.ticks()).isEqualTo(5);
    }

    @Test
    void nothingRunsBeforeItIsDue() {
        pacer.register((tick, due) -> {});
        assertThat(pacer.runDue(pacer.dueNanos(0) - 1)).isZero();
        assertThat(pacer.runDue(pacer.dueNanos(0))).isEqualTo(1);
        assertThat(pacer.runDue(pacer.dueNanos(1) - 1)).isZero();
    }
}
