package dev.voicebridge.operator.events;

import dev.voicebridge.api.log.LogLine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about a resource. Best effort: an Event that cannot be written is logged
 * and dropped, it never fails a reconciliation.
 *
 * <p>Events only inform, so the caller (a reconcile) never waits for one, as with client-go's
 * recorder: {@link #record} stamps and names the Event (its name and timestamps keep the order of
 * recording) and queues it for a few sender threads, so a slow API server delays Events, never
 * reconciles, and one round trip at a time cannot fall behind a high call rate. The queue is
 * bounded; beyond it Events are dropped and counted (one warning per power of two). {@link #close}
 * sends what is queued, within a bound.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** Events waiting for the sender; about three per call being set up. */
    private static final int QUEUE = 4096;
    /** Events written at once: enough to overlap round trips, few enough to stay a side load. */
    private static final int SENDERS = 4;
    /** How long {@link #close} waits for queued Events. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor sender;

    public EventRecorder(KubernetesClient client, String component, String instance, Clock clock) {
        this.client = client;
        this.component = component;
        this.instance = instance;
        this.clock = clock;
        this.sender = new ThreadPoolExecutor(
                SENDERS,
                SENDERS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                Thread.ofVirtual().name("event-recorder-", 0).factory(),
                (task, executor) -> dropped());
    }

    public void record(HasMetadata about, EventReason reason, String message) {
        var meta = about.getMetadata();
        String now = Instant.now(clock).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(meta.getName() + "." + Long.toHexString(System.currentTimeMillis()) + "-"
                        + sequence.incrementAndGet())
                .withNamespace(meta.getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(meta.getName())
                        .withNamespace(meta.getNamespace())
                        .withUid(meta.getUid())
                        .build())
                .withReason(reason.name())
                .withType(reason.type())
                .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(component)
                .endSource()
                .withReportingComponent(component)
                .withReportingInstance(instance)
                .build();
        sender.execute(() -> send(event, reason));
    }

    private void send(Event event, EventReason reason) {
        var meta = event.getMetadata();
        try {
            client.v1()
                    .events()
                    .inNamespace(meta.getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warn(LogLine.of(
                    "event.not-recorded",
                    LogLine.CALL,
                    event.getInvolvedObject().getName(),
                    "reason",
                    reason,
                    "error",
                    e.getMessage()));
        }
    }

    private void dropped() {
        long n = dropped.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn(LogLine.of("event.dropped", "total", n, "why", "the Event queue is full or closed"));
        }
    }

    /** Events dropped because the queue was full (or the recorder closed). */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Sends the queued Events (at most {@link #CLOSE_BOUND}), then takes no more. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(LogLine.of(
                        "event.close-timeout",
                        "after",
                        CLOSE_BOUND,
                        "queued",
                        sender.getQueue().size()));
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
