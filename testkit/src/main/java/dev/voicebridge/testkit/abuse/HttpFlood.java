package dev.voicebridge.testkit.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.http.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a catalogue of {@link HostileRequests} at one HTTP port, {@code concurrency} at a time,
 * each on its own connection, and keeps every answer for the verdict.
 */
public final class HttpFlood implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One attack and what the server answered (null when none was expected). */
    public record Outcome(HostileRequests.Attack attack, RawHttp.Reply reply) {
        /** The problem's {@code code}, or null when the body is not a problem with one. */
        public String code() {
            if (reply == null) {
                return null;
            }
            try {
                JsonNode body = JSON.readTree(reply.body());
                return body == null ? null : body.path("code").asText(null);
            } catch (Exception e) {
                return null;
            }
        }

        /**
         * Null when the answer is right: not a 500, application/problem+json, a documented code
         * and one of the attack's; else what is wrong.
         */
        public String verdict(Set<String> documented) {
            if (reply.status() == 500 || !reply.answered()) {
                return reply.toString();
            }
            if (!"application/problem+json".equals(reply.header("content-type"))) {
                return "not problem+json: " + reply;
            }
            String code = code();
            if (!documented.contains(code)) {
                return "undocumented code: " + reply;
            }
            if (!attack.codes().contains(code)) {
                return "expected one of " + attack.codes() + ": " + reply;
            }
            return null;
        }
    }

    private final ExecutorService pool;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("http-flood-pacer").daemon(true).factory());
    private final List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    private HttpFlood(int concurrency) {
        this.pool = Executors.newFixedThreadPool(
                concurrency,
                Thread.ofPlatform().name("http-flood-", 0).daemon(true).factory());
    }

    /** Sends every attack as fast as {@code concurrency} connections at a time allow. */
    public static HttpFlood start(RawHttp raw, List<HostileRequests.Attack> attacks, int concurrency) {
        return start(raw, attacks, concurrency, Duration.ZERO);
    }

    /**
     * Starts the attacks evenly over {@code spread} (a flood that lasts while something else
     * happens), at most {@code concurrency} connections at a time.
     */
    public static HttpFlood start(RawHttp raw, List<HostileRequests.Attack> attacks, int concurrency, Duration spread) {
        var flood = new HttpFlood(concurrency);
        long interval = attacks.isEmpty() ? 0 : spread.toNanos() / attacks.size();
        for (int i = 0; i < attacks.size(); i++) {
            var attack = attacks.get(i);
            var outcome = new CompletableFuture<Outcome>();
            flood.futures.add(outcome);
            Runnable send = () -> {
                try {
                    outcome.complete(new Outcome(attack, attack.send().apply(raw)));
                } catch (RuntimeException e) {
                    // No answer in time is an answer too (a wrong one): kept for the verdict.
                    outcome.complete(new Outcome(attack, new RawHttp.Reply(-1, Map.of(), e.getMessage())));
                } catch (Error e) {
                    outcome.completeExceptionally(e);
                } finally {
                    if (flood.completed.incrementAndGet() == attacks.size()) {
                        flood.endNanos = System.nanoTime();
                    }
                }
            };
            flood.pacer.schedule(() -> flood.pool.execute(send), i * interval, TimeUnit.NANOSECONDS);
        }
        return flood;
    }

    /** Requests answered (or abandoned, as intended) so far. */
    public int completed() {
        return completed.get();
    }

    public int size() {
        return futures.size();
    }

    public boolean isDone() {
        return completed.get() == futures.size();
    }

    /** From the first request to the last answer. */
    public Duration took() {
        return Duration.ofNanos((isDone() ? endNanos : System.nanoTime()) - startNanos);
    }

    /** Every outcome, in catalogue order, once all are in. */
    public List<Outcome> await(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Outcome> outcomes = new ArrayList<>(futures.size());
        for (var future : futures) {
            try {
                outcomes.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                throw new IllegalStateException("an attack could not be sent", e.getCause());
            }
        }
        return outcomes;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        pool.shutdownNow();
    }
}
