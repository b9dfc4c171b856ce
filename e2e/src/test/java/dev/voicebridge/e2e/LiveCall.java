package dev.voicebridge.e2e;

import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A call under observation: its phone, the tone the phone says (the echo agent says it back), and
 * the figures both ends keep — the worker's receive side from the call's status (written every
 * stats interval) and the phone's playout — so a window of the call can be compared with another.
 * A sampler notes when the phone last received a media datagram: the moment the worker stopped.
 */
final class LiveCall implements AutoCloseable {
    final String callId;
    final SyntheticPhone phone;
    final double tone;
    private final E2eStack stack;
    private final AtomicLong lastMediaNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong mediaSeen = new AtomicLong(-1);
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("media-sampler").daemon(true).factory());

    LiveCall(E2eStack stack, String callId, SyntheticPhone phone, double tone) {
        this.stack = stack;
        this.callId = callId;
        this.phone = phone;
        this.tone = tone;
        sampler.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long now = phone.mediaDatagramsReceived();
        if (mediaSeen.getAndSet(now) != now) {
            lastMediaNanos.set(System.nanoTime());
        }
    }

    /** {@link System#nanoTime()} when the phone last received an SRTP or SRTCP datagram. */
    long lastMediaNanos() {
        return lastMediaNanos.get();
    }

    String worker() {
        return stack.call(callId).getStatus().getAssignment().getWorker();
    }

    /** The phone says its tone once (1.2 s) and starts recording what it hears. */
    void speak() {
        phone.startRecording();
        phone.play(PcmSource.of(Signals.tone(tone, 0.3, 1200)));
    }

    /** Whether the phone heard its own tone back, dominant over {@code other}'s. */
    boolean heardItself(LiveCall other) {
        return Hearing.heard(phone.recording(), tone, other.tone);
    }

    /** What both ends lost and concealed so far. */
    record Figures(
            long workerLost, long workerLate, long workerConcealedMillis, long phoneConcealedFrames, String written) {
        Figures since(Figures before) {
            return new Figures(
                    workerLost - before.workerLost,
                    workerLate - before.workerLate,
                    workerConcealedMillis - before.workerConcealedMillis,
                    phoneConcealedFrames - before.phoneConcealedFrames,
                    before.written + " .. " + written);
        }

        /** For figures {@link #since} others: the ms between the two status writes they span. */
        long spanMillis() {
            String[] ends = written.split(" \\.\\. ");
            return java.time.Duration.between(java.time.Instant.parse(ends[0]), java.time.Instant.parse(ends[1]))
                    .toMillis();
        }
    }

    /** The figures after the worker's next status write, so both ends' counts are current. */
    Figures freshFigures(Duration atMost) {
        String before = media().getUpdatedAt();
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> !Objects.equals(media().getUpdatedAt(), before));
        MediaStatus media = media();
        return new Figures(
                nonNull(media.getPacketsLost()),
                nonNull(media.getLatePackets()),
                nonNull(media.getConcealedMillis()),
                phone.stats().concealedFrames(),
                media.getUpdatedAt());
    }

    private MediaStatus media() {
        return stack.call(callId).getStatus().getMedia();
    }

    private static long nonNull(Long value) {
        return value == null ? 0 : value;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        phone.close();
    }
}
