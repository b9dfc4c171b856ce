package dev.voicebridge.worker.telemetry;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Clock;

/**
 * Starts one {@link CallTrace} per call, joined to the trace the signaling service started for it:
 * the VoiceCall's {@code voicebridge.dev/traceparent} annotation is a W3C {@code traceparent}. A call
 * without one (or with a malformed one) starts a new trace.
 */
public final class CallTracing {
    private static final String TRACEPARENT = "traceparent";
    /**
     * The annotation as a carrier holding one header. Only {@code get} is implemented: the W3C
     * propagator reads named fields, and {@code keys} is deprecated since OpenTelemetry 1.68.
     */
    private static final TextMapGetter<String> ANNOTATION = (carrier, key) -> TRACEPARENT.equals(key) ? carrier : null;

    private final Tracer tracer;
    private final Clock clock;

    public CallTracing(Tracer tracer) {
        this(tracer, Clock.systemUTC());
    }

    CallTracing(Tracer tracer, Clock clock) {
        this.tracer = tracer;
        this.clock = clock;
    }

    /** Tracing that records nothing (components built without a telemetry). */
    public static CallTracing noop() {
        return new CallTracing(OpenTelemetry.noop().getTracer(WorkerTelemetry.INSTRUMENTATION));
    }

    /** Starts the {@code call} span now: the worker begins setting the call up. */
    public CallTrace begin(VoiceCall call) {
        var annotations = call.getMetadata().getAnnotations();
        String traceparent = annotations == null ? null : annotations.get(Labels.TRACEPARENT_ANNOTATION);
        String acceptBy = call.getSpec() == null || call.getSpec().getAcceptBy() == null
                ? null
                : call.getSpec().getAcceptBy().name();
        return begin(call.getMetadata().getName(), acceptBy, traceparent);
    }

    /**
     * @param name the VoiceCall's resource name (a hash of the call id, never a phone number)
     * @param traceparent the annotation's value, or null
     */
    public CallTrace begin(String name, String acceptBy, String traceparent) {
        Context parent = traceparent == null || traceparent.isBlank()
                ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent.trim(), ANNOTATION);
        return new CallTrace(tracer, clock, parent, name, acceptBy);
    }
}
