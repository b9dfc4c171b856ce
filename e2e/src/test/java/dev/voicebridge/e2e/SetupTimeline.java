package dev.voicebridge.e2e;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each call's setup went, for {@link SetupBenchmark}: the client's own times (request sent,
 * {@code 201} back, {@code /accepted} sent and answered), the timestamps the services stamp on
 * the VoiceCall ({@code assignment.assignedAt}, {@code media.answeredAt},
 * {@code media.mediaStartedAt}), and when this JVM's own watch of the in-memory API server saw
 * the call created, assigned and answered. All on one clock (one machine), in epoch microseconds.
 */
final class SetupTimeline implements AutoCloseable {
    /** One call's times, epoch µs; 0 while unknown. */
    static final class Times {
        volatile long posted;
        /** signaling's {@code spec.receivedAt}, stamped before it creates the VoiceCall. */
        volatile long receivedAt;
        /** The services' own log lines, logged after the step: ms precision. */
        volatile long createdLogged;

        volatile long assignedLogged;
        volatile long answeredLogged;
        volatile long answered201;
        volatile long createdSeen;
        volatile long assignedSeen;
        volatile long answerSeen;
        volatile long assignedAt;
        volatile long answeredAt;
        volatile long acceptSent;
        volatile long accepted204;
        volatile long mediaStartedAt;
        volatile boolean ended;
        /** The status of {@code POST /v1/calls}; 0 before it returned. */
        volatile int httpStatus;
        /** Request scheduled → 201, ms (open loop: a late start counts). */
        volatile double setupMillis = Double.NaN;
    }

    private final Map<String, Times> byName = new ConcurrentHashMap<>();
    private final Watch watch;

    SetupTimeline(E2eStack stack) {
        watch = stack.kube
                .client()
                .resources(VoiceCall.class)
                .inNamespace(E2eStack.NS)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, VoiceCall call) {
                        seen(call);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // the benchmark ends the watch; a broken one shows as missing hops
                    }
                });
    }

    /** The times of the call with WhatsApp call id {@code callId}. */
    Times of(String callId) {
        return byName.computeIfAbsent(CallNames.forCallId(callId), n -> new Times());
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    private static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    private static long micros(String rfc3339) {
        return rfc3339 == null ? 0 : micros(Instant.parse(rfc3339));
    }

    private void seen(VoiceCall call) {
        long now = nowMicros();
        Times t = byName.computeIfAbsent(call.getMetadata().getName(), n -> new Times());
        if (t.createdSeen == 0) {
            t.createdSeen = now;
            t.receivedAt = micros(call.getSpec().getReceivedAt());
        }
        var status = call.getStatus();
        if (status == null) {
            return;
        }
        if (status.getAssignment() != null && status.getAssignment().getAssignedAt() != null) {
            if (t.assignedSeen == 0) {
                t.assignedSeen = now;
            }
            t.assignedAt = micros(status.getAssignment().getAssignedAt());
        }
        var media = status.getMedia();
        if (media != null && media.getSdpAnswer() != null) {
            if (t.answerSeen == 0) {
                t.answerSeen = now;
            }
            t.answeredAt = micros(media.getAnsweredAt());
            if (media.getMediaStartedAt() != null) {
                t.mediaStartedAt = micros(media.getMediaStartedAt());
            }
        }
        if (call.phase() != null && call.phase().isTerminal()) {
            t.ended = true;
        }
    }

    private static final Pattern LINE =
            Pattern.compile("time=(\\S+) .*event=(call\\.received|call\\.assigned|call\\.answered) call=(\\S+)");

    /**
     * Adds the times the services logged each step at (their {@code time=} is UTC, to the
     * millisecond): signaling's {@code call.received} once its create returned, the operator's
     * {@code call.assigned} once its status and label writes and the Event are done, the worker's
     * {@code call.answered} once its answer write returned.
     */
    void logged(Map<String, List<String>> lines) {
        lines.values()
                .forEach(service -> service.forEach(line -> {
                    Matcher m = LINE.matcher(line);
                    if (!m.find()) {
                        return;
                    }
                    Times t = byName.get(m.group(3));
                    if (t == null) {
                        return;
                    }
                    long at = micros(LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC));
                    switch (m.group(2)) {
                        case "call.received" -> t.createdLogged = at;
                        case "call.assigned" -> t.assignedLogged = at;
                        default -> t.answeredLogged = at;
                    }
                }));
    }

    static final String PLACEMENT = "`receivedAt` → `assignedAt` (operator: watch event, reconcile)";
    static final String ACCEPTED_TO_MEDIA =
            "`/accepted` sent → worker's `mediaStartedAt` (signaling, API server, worker)";

    /** The hops of setup and accept, in order, each as ms per call (calls missing a time are left out). */
    static Map<String, double[]> hops(List<Times> calls) {
        var hops = new LinkedHashMap<String, double[]>();
        hops.put("request → 201 with the answer (client, from scheduled time)", values(calls, t -> t.setupMillis));
        hops.put(
                "request sent → `spec.receivedAt` (signaling: HTTP, authentication, parsing)",
                span(calls, t -> t.posted, t -> t.receivedAt));
        hops.put(
                "`receivedAt` → create returned (signaling's `call.received` line)",
                span(calls, t -> t.receivedAt, t -> t.createdLogged));
        hops.put(
                "`receivedAt` → VoiceCall seen by the harness's watch",
                span(calls, t -> t.receivedAt, t -> t.createdSeen));
        hops.put(PLACEMENT, span(calls, t -> t.receivedAt, t -> t.assignedAt));
        hops.put(
                "`assignedAt` → operator's `call.assigned` line (status, label, Event)",
                span(calls, t -> t.assignedAt, t -> t.assignedLogged));
        hops.put(
                "`assignedAt` → `answeredAt` (label's watch event, worker's set-up)",
                span(calls, t -> t.assignedAt, t -> t.answeredAt));
        hops.put(
                "`answeredAt` → worker's `call.answered` line (its answer write returned)",
                span(calls, t -> t.answeredAt, t -> t.answeredLogged));
        hops.put(
                "`answeredAt` → answer seen by the harness's watch", span(calls, t -> t.answeredAt, t -> t.answerSeen));
        hops.put(
                "answer seen by the harness → 201 at the client (signaling: watch event, response)",
                span(calls, t -> t.answerSeen, t -> t.answered201));
        hops.put(
                "`/accepted` sent → 204 at the client (signaling)", span(calls, t -> t.acceptSent, t -> t.accepted204));
        hops.put(ACCEPTED_TO_MEDIA, span(calls, t -> t.acceptSent, t -> t.mediaStartedAt));
        return hops;
    }

    private static double[] span(List<Times> calls, ToDoubleFunction<Times> from, ToDoubleFunction<Times> to) {
        var out = new ArrayList<Double>();
        for (Times t : calls) {
            double a = from.applyAsDouble(t);
            double b = to.applyAsDouble(t);
            if (a != 0 && b != 0) {
                out.add((b - a) / 1000.0);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] values(List<Times> calls, ToDoubleFunction<Times> f) {
        return calls.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray();
    }

    @Override
    public void close() {
        watch.close();
    }
}
