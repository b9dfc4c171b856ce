package dev.voicebridge.operator.observe;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.whatsapp.CallAction;
import dev.voicebridge.operator.whatsapp.GraphErrors;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's spans in a call's trace, children of the W3C trace context signaling wrote on
 * the VoiceCall ({@link Labels#TRACEPARENT_ANNOTATION}); a call without one (or with a malformed
 * one) gets root spans.
 *
 * <p>Spans are made after the fact, with explicit start and end instants, and only where the
 * reconciler did something for real: a placement whose guarded status write succeeded, a terminal
 * phase the operator recorded, a Graph request that went out. A reconcile that replays a step
 * already recorded in status (after a restart, or a 409) therefore makes no span.
 *
 * <p>Attributes never carry phone numbers, tokens, SDP or addresses: the call is named by its
 * resource name (a hash of the WhatsApp call id), Graph failures by their code, and Graph's own
 * message text (free text from a third party) is left out.
 */
public final class CallSpans {
    public static final String ASSIGNMENT = "assignment";
    public static final AttributeKey<String> CALL = AttributeKey.stringKey("voicebridge.call");
    public static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
    public static final AttributeKey<String> WORKER = AttributeKey.stringKey("voicebridge.worker");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("voicebridge.outcome");
    public static final AttributeKey<Long> PLACEMENT_ATTEMPT = AttributeKey.longKey("voicebridge.assignment.attempt");
    public static final AttributeKey<String> WAITED_FOR = AttributeKey.stringKey("voicebridge.assignment.last_failure");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<Long> GRAPH_ATTEMPT = AttributeKey.longKey("voicebridge.graph.attempt");
    public static final AttributeKey<Long> WHATSAPP_ERROR = AttributeKey.longKey("whatsapp.error.code");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** The annotation read as the {@code traceparent} header of a W3C carrier. */
    private static final TextMapGetter<Map<String, String>> ANNOTATIONS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null || !"traceparent".equals(key) ? null : carrier.get(Labels.TRACEPARENT_ANNOTATION);
        }
    };

    private final Tracer tracer;
    private final Duration forgetAfter;
    /** When this replica first saw each call waiting for a worker (namespace/name). */
    private final Map<String, Instant> pendingSeen = new ConcurrentHashMap<>();

    /**
     * @param forgetAfter entries of {@link #pendingSeen} older than this are dropped: a call pends
     *     at most the pending timeout, so older ones belong to calls deleted while pending
     */
    public CallSpans(Tracer tracer, Duration forgetAfter) {
        this.tracer = tracer;
        this.forgetAfter = forgetAfter;
    }

    /** The call's trace context from its annotation; the root context when absent or malformed. */
    public static Context parentOf(VoiceCall call) {
        Map<String, String> annotations = call.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(Labels.TRACEPARENT_ANNOTATION)) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), annotations, ANNOTATIONS);
    }

    /** The call waits for a worker: the assignment span starts at the first such sighting. */
    public void pending(VoiceCall call, Instant now) {
        String key = key(call);
        if (pendingSeen.putIfAbsent(key, now) == null) {
            Instant stale = now.minus(forgetAfter);
            pendingSeen.values().removeIf(seen -> seen.isBefore(stale));
        }
    }

    /** The call was placed on {@code worker}: its placement is recorded in status. */
    public void assigned(VoiceCall call, String worker, int attempt, Instant pendingSince, Instant now) {
        Span span = start(ASSIGNMENT, call, SpanKind.INTERNAL, waitStart(call, pendingSince, now))
                .setAttribute(WORKER, worker)
                .setAttribute(OUTCOME, "Assigned")
                .setAttribute(PLACEMENT_ATTEMPT, (long) attempt)
                .startSpan();
        span.end(now);
    }

    /**
     * The call ended while no worker had it (NoCapacity, or the caller gave up): the assignment
     * span with the end reason as its outcome, an error when the call failed.
     */
    public void notAssigned(VoiceCall call, String reason, boolean failed, Instant pendingSince, Instant now) {
        SpanBuilder builder = start(ASSIGNMENT, call, SpanKind.INTERNAL, waitStart(call, pendingSince, now))
                .setAttribute(OUTCOME, reason);
        String lastFailure = lastPlacementFailure(call);
        if (lastFailure != null) {
            builder.setAttribute(WAITED_FOR, lastFailure);
        }
        Span span = builder.startSpan();
        if (failed) {
            span.setStatus(StatusCode.ERROR, lastFailure == null ? reason : reason + " (" + lastFailure + ")");
        }
        span.end(now);
    }

    /**
     * One Graph API request that went out.
     *
     * @param attempt this attempt's number for the action (as recorded in status)
     * @param retrying a retry is scheduled after this failure
     */
    public void graphRequest(
            VoiceCall call,
            CallAction action,
            int attempt,
            Instant sent,
            Instant done,
            GraphOutcome outcome,
            boolean retrying) {
        SpanBuilder builder = start("graph." + action.wireName(), call, SpanKind.CLIENT, sent)
                .setAttribute(GRAPH_ATTEMPT, (long) attempt)
                .setAttribute("http.request.method", "POST");
        Span span;
        switch (outcome) {
            case GraphOutcome.Success success -> {
                span = builder.setAttribute(HTTP_STATUS, (long) success.httpStatus())
                        .setAttribute(OUTCOME, "success")
                        .startSpan();
            }
            case GraphOutcome.Failure failure -> {
                if (failure.httpStatus() != 0) {
                    builder.setAttribute(HTTP_STATUS, (long) failure.httpStatus());
                }
                if (failure.code() != null) {
                    builder.setAttribute(WHATSAPP_ERROR, failure.code());
                }
                span = builder.setAttribute(ERROR_TYPE, failure.metricCode())
                        .setAttribute(OUTCOME, retrying ? "retry" : "failed")
                        .startSpan();
                span.setStatus(StatusCode.ERROR, describe(failure));
            }
        }
        span.end(done);
    }

    /** Our own words only: Graph's message and transport exception texts may carry anything. */
    static String describe(GraphOutcome.Failure failure) {
        if (failure.code() != null) {
            return "Graph error " + failure.code() + ": " + GraphErrors.describe(failure.code());
        }
        return failure.httpStatus() != 0
                ? "HTTP " + failure.httpStatus()
                : "no response (timeout or connection failure)";
    }

    private SpanBuilder start(String name, VoiceCall call, SpanKind kind, Instant at) {
        return tracer.spanBuilder(name)
                .setParent(parentOf(call))
                .setSpanKind(kind)
                .setStartTimestamp(at)
                .setAttribute(CALL, call.getMetadata().getName())
                .setAttribute(NAMESPACE, call.getMetadata().getNamespace());
    }

    /**
     * When this replica first saw the call pending; after a restart that sighting is lost and the
     * status' pendingSince (creation or re-placement, second precision) stands in.
     */
    private Instant waitStart(VoiceCall call, Instant pendingSince, Instant now) {
        Instant seen = pendingSeen.remove(key(call));
        Instant start = seen != null ? seen : pendingSince;
        return start == null || start.isAfter(now) ? now : start;
    }

    private static String lastPlacementFailure(VoiceCall call) {
        if (call.getStatus() == null || call.getStatus().getConditions() == null) {
            return null;
        }
        return call.getStatus().getConditions().stream()
                .filter(c -> "Assigned".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> c.getReason())
                .findFirst()
                .orElse(null);
    }

    private static String key(VoiceCall call) {
        return call.getMetadata().getNamespace() + "/" + call.getMetadata().getName();
    }
}
