package dev.voicebridge.helidon.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    @Test
    void writesAtMostTheLimitPerWindowAndTellsHowManyItLeftOut() {
        Logger logger = Logger.getLogger("test.rate-limited." + System.nanoTime());
        logger.setUseParentHandlers(false);
        List<String> written = new CopyOnWriteArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                written.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        AtomicLong now = new AtomicLong();
        var log = new RateLimitedLog(logger, 3, Duration.ofSeconds(60), now::get);
        AtomicLong built = new AtomicLong();
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            log.log(Level.INFO, "flood", () -> {
                built.incrementAndGet();
                return "event=flood n=" + n;
            });
        }
        log.log(Level.INFO, "other", () -> "event=other");
        assertThat(written).containsExactly("event=flood n=0", "event=flood n=1", "event=flood n=2", "event=other");
        assertThat(built.get()).as("suppressed lines are never built").isEqualTo(3);

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        log.log(Level.INFO, "flood", () -> "event=flood again");
        assertThat(written.getLast()).isEqualTo("event=flood again suppressed=997");
        log.log(Level.FINE, "flood", () -> "event=below the logger's level");
        assertThat(written).hasSize(5);
    }

    /** Per packet: one line per key and window, and a stack trace only on the lines written. */
    @Test
    void oneLinePerKeyAndWindowWithTheThrowableOfOurOwnBugs() {
        Logger logger = Logger.getLogger("test.rate-limited." + System.nanoTime());
        logger.setUseParentHandlers(false);
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        AtomicLong now = new AtomicLong();
        var limited = new RateLimitedLog(logger, 1, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 1000; i++) {
            limited.log(Level.INFO, "stun", () -> "malformed stun");
            limited.log(Level.WARNING, "rtp", () -> "handler failed", new IllegalStateException("our bug"));
        }
        assertThat(lines).extracting(LogRecord::getMessage).containsExactly("malformed stun", "handler failed");
        assertThat(lines.get(1).getThrown()).hasMessage("our bug");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        limited.log(Level.INFO, "stun", () -> "malformed stun");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2).getMessage()).isEqualTo("malformed stun suppressed=999");
        assertThat(lines.get(2).getThrown()).isNull();
    }
}
