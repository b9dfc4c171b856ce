package dev.voicebridge.worker.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    @Test
    void oneLinePerKeyAndIntervalThenHowManyWereNotLogged() {
        Logger log = Logger.getLogger("test.rate-limited");
        log.setUseParentHandlers(false);
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(capture);
        long[] now = {0};
        var limited = new RateLimitedLog(log, Duration.ofSeconds(10), () -> now[0]);
        for (int i = 0; i < 1000; i++) {
            limited.log(Level.INFO, "stun", () -> "malformed stun");
            limited.log(Level.INFO, "rtp", () -> "malformed rtp");
        }
        assertThat(lines).extracting(LogRecord::getMessage).containsExactly("malformed stun", "malformed rtp");
        now[0] += Duration.ofSeconds(10).toNanos();
        limited.log(Level.WARNING, "stun", () -> "malformed stun", new IllegalStateException("our bug"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2).getMessage()).isEqualTo("malformed stun (999 more since the last such line)");
        assertThat(lines.get(2).getThrown()).hasMessage("our bug");
        log.removeHandler(capture);
    }
}
