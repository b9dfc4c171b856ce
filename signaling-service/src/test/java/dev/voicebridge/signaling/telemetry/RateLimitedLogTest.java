package dev.voicebridge.signaling.telemetry;

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
}
