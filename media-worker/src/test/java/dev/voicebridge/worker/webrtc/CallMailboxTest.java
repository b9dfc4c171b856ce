package dev.voicebridge.worker.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallMailboxTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();

    /** Blocks the owner until released, so the test fills the queues deterministically. */
    private CountDownLatch block(CallMailbox mailbox) throws InterruptedException {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        mailbox.execute(() -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /** A failing task is one SEVERE line under the call's name (call=), and the owner runs on. */
    @Test
    void aFailedTaskIsLoggedWithTheCallsNameAndTheOwnerRunsOn() {
        var lines = new CopyOnWriteArrayList<String>();
        var logger = java.util.logging.Logger.getLogger(CallMailbox.class.getName());
        var handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage() + " " + record.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        var mailbox = new CallMailbox("wa-test", 4);
        try {
            mailbox.execute(() -> {
                throw new IllegalStateException("boom");
            });
            mailbox.execute(() -> ran.add("after"));
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("after"));
            assertThat(lines)
                    .containsExactly(
                            "SEVERE event=call.task-failed call=wa-test java.lang.IllegalStateException: boom");
        } finally {
            mailbox.close();
            logger.removeHandler(handler);
        }
    }

    @Test
    void controlIsNeverRefusedByAFullMediaQueueAndRunsFirst() throws Exception {
        var mailbox = new CallMailbox("wa-test", 4);
        var release = block(mailbox);
        for (int i = 0; i < 10; i++) {
            int n = i;
            mailbox.offerMedia(() -> ran.add("media-" + n));
        }
        assertThat(mailbox.mediaDrops()).isEqualTo(6);
        assertThat(mailbox.offerControl(() -> ran.add("hangup"))).isTrue();
        mailbox.execute(() -> ran.add("stats"));

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 6);
        assertThat(ran).containsExactly("hangup", "stats", "media-0", "media-1", "media-2", "media-3");
        mailbox.close();
    }

    @Test
    void afterCloseQueuedControlStillRunsButQueuedMediaAndNewWorkDoNot() throws Exception {
        var mailbox = new CallMailbox("wa-test", 8);
        var release = block(mailbox);
        mailbox.offerMedia(() -> ran.add("media"));
        mailbox.execute(() -> ran.add("control"));
        mailbox.close();
        assertThat(mailbox.offerControl(() -> ran.add("late control"))).isFalse();
        assertThat(mailbox.offerMedia(() -> ran.add("late media"))).isFalse();

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("control"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> ran.size() == 1);
        // Late datagrams after the end are expected, not drops.
        assertThat(mailbox.mediaDrops()).isZero();
    }

    @Test
    void aFailingTaskDoesNotStopTheOwner() {
        var mailbox = new CallMailbox("wa-test", 8);
        var count = new AtomicInteger();
        mailbox.execute(() -> {
            throw new IllegalStateException("a bug in one task");
        });
        mailbox.execute(count::incrementAndGet);
        mailbox.offerMedia(count::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> count.get() == 2);
        mailbox.close();
    }
}
