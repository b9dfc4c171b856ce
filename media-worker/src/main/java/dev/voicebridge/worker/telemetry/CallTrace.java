package dev.voicebridge.worker.telemetry;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.agent.AgentObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;

/**
 * The spans of one call on this worker: {@code call} from the start of setup to the end, and its
 * phases as children — {@code answer}, {@code ice}, {@code dtls}, {@code accept},
 * {@code model.connect} and one {@code agent.turn} per agent response.
 *
 * <p>Phases are recorded after the fact, with explicit start and end times, from the callbacks and
 * figures the media and agent planes already produce (ICE and DTLS durations, connect and turn
 * times), so no tracer is threaded through them and no span is opened on a media thread. Methods
 * are called from the calls controller, session owner and agent owner threads: state is guarded by
 * this object's monitor, held only for in-memory work (ending a span hands it to a batch queue).
 * Attributes never carry phone numbers or addresses: the call is named by its resource name.
 */
public final class CallTrace implements AgentObserver {
    public static final AttributeKey<String> CALL_NAME = stringKey("voicebridge.call.name");
    public static final AttributeKey<String> ACCEPT_BY = stringKey("voicebridge.call.accept_by");
    public static final AttributeKey<String> END_REASON = stringKey("voicebridge.call.end_reason");
    public static final AttributeKey<Long> ICE_CONNECT_MS = longKey("voicebridge.ice.connect_ms");
    public static final AttributeKey<Long> DTLS_HANDSHAKE_MS = longKey("voicebridge.dtls.handshake_ms");
    public static final AttributeKey<Boolean> MODEL_RECONNECT = booleanKey("voicebridge.model.reconnect");
    public static final AttributeKey<Long> RESPONSE_LATENCY_MS = longKey("voicebridge.agent.response_latency_ms");
    public static final AttributeKey<String> RESPONSE_STATUS = stringKey("voicebridge.agent.response_status");
    public static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");

    private final Tracer tracer;
    private final Clock clock;
    private final Span call;
    private final Context callContext;

    // Guarded by this.
    private Instant iceStartedAt;
    private boolean transportRecorded;
    private Instant answerWrittenAt;
    private boolean acceptRecorded;
    private boolean ended;

    CallTrace(Tracer tracer, Clock clock, Context parent, String name, String acceptBy) {
        this.tracer = tracer;
        this.clock = clock;
        var builder = tracer.spanBuilder("call")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(clock.instant())
                .setAttribute(CALL_NAME, name);
        if (acceptBy != null) {
            builder.setAttribute(ACCEPT_BY, acceptBy);
        }
        this.call = builder.startSpan();
        this.callContext = parent.with(call);
    }

    /** The {@code call} span's context (trace id for logs, parent of the phases). */
    public SpanContext context() {
        return call.getSpanContext();
    }

    /** The SDP answer was built (or refused: {@code failure} says why, else null). */
    public synchronized void answer(Instant start, Instant end, String failure) {
        phase("answer", start, end, Attributes.empty(), failure);
    }

    /** ICE connectivity checks started. */
    public synchronized void iceStarted(Instant at) {
        if (iceStartedAt == null) {
            iceStartedAt = at;
        }
    }

    /**
     * ICE, DTLS and SRTP are up.
     *
     * @param iceMillis ICE start → nominated pair
     * @param dtlsMillis DTLS handshake duration; it ended at {@code connectedAt}
     */
    public synchronized void transportUp(long iceMillis, long dtlsMillis, Instant connectedAt) {
        if (transportRecorded) {
            return;
        }
        transportRecorded = true;
        Instant dtlsStart = connectedAt.minusMillis(Math.max(0, dtlsMillis));
        Instant iceStart = iceStartedAt != null ? iceStartedAt : dtlsStart.minusMillis(Math.max(0, iceMillis));
        Instant iceEnd = min(iceStart.plusMillis(Math.max(0, iceMillis)), connectedAt);
        phase("ice", iceStart, iceEnd, Attributes.of(ICE_CONNECT_MS, iceMillis), null);
        phase("dtls", max(dtlsStart, iceEnd), connectedAt, Attributes.of(DTLS_HANDSHAKE_MS, dtlsMillis), null);
    }

    /**
     * The call ended; when the transport never came up, the phase that was running ends here with
     * the call's reason (ICE when {@code iceMillis} < 0, else DTLS).
     */
    public synchronized void transportEnded(long iceMillis, Instant at, EndReason reason) {
        if (transportRecorded || iceStartedAt == null) {
            return;
        }
        transportRecorded = true;
        String failure = reason == null ? "ended" : reason.name();
        if (iceMillis < 0) {
            phase("ice", iceStartedAt, at, Attributes.empty(), failure);
            return;
        }
        Instant iceEnd = min(iceStartedAt.plusMillis(iceMillis), at);
        phase("ice", iceStartedAt, iceEnd, Attributes.of(ICE_CONNECT_MS, iceMillis), null);
        phase("dtls", iceEnd, at, Attributes.empty(), failure);
    }

    /** The SDP answer is on the VoiceCall: from here the call waits to be accepted. */
    public synchronized void answerWritten(Instant at) {
        if (answerWrittenAt == null) {
            answerWrittenAt = at;
        }
    }

    /** The call was accepted (WhatsApp's accept completed, or API mode's media start). */
    public synchronized void accepted(Instant at) {
        if (acceptRecorded || answerWrittenAt == null) {
            return;
        }
        acceptRecorded = true;
        phase("accept", answerWrittenAt, max(answerWrittenAt, at), Attributes.empty(), null);
    }

    /** The worker is done with the call: ends the {@code call} span with the reason. */
    public synchronized void ended(EndReason reason, Instant at) {
        if (ended) {
            return;
        }
        ended = true;
        if (answerWrittenAt != null && !acceptRecorded) {
            acceptRecorded = true;
            phase("accept", answerWrittenAt, max(answerWrittenAt, at), Attributes.empty(), "not accepted");
        }
        call.setAttribute(END_REASON, reason.name());
        if (reason.isFailure()) {
            call.setStatus(StatusCode.ERROR, reason.name());
        }
        call.end(at);
    }

    /** Now, by this trace's clock. */
    public Instant now() {
        return clock.instant();
    }

    @Override
    public synchronized void modelConnected(long startNanos, long endNanos, boolean reconnect) {
        phase("model.connect", at(startNanos), at(endNanos), Attributes.of(MODEL_RECONNECT, reconnect), null);
    }

    @Override
    public synchronized void modelConnectFailed(long startNanos, long endNanos, String why) {
        phase("model.connect", at(startNanos), at(endNanos), Attributes.empty(), why);
    }

    @Override
    public synchronized void turn(AgentTurn turn) {
        AttributesBuilder attributes = Attributes.builder();
        if (turn.latencyMillis() >= 0) {
            attributes.put(RESPONSE_LATENCY_MS, turn.latencyMillis());
        }
        if (turn.status() != null) {
            attributes.put(RESPONSE_STATUS, turn.status());
        }
        if (turn.usage() != null) {
            attributes.put(INPUT_TOKENS, turn.usage().inputTokens());
            attributes.put(OUTPUT_TOKENS, turn.usage().outputTokens());
        }
        String failure = "failed".equals(turn.status()) ? "response failed" : null;
        phase("agent.turn", at(turn.startNanos()), at(turn.endNanos()), attributes.build(), failure);
    }

    private void phase(String name, Instant start, Instant end, Attributes attributes, String failure) {
        Span span = tracer.spanBuilder(name)
                .setParent(callContext)
                .setStartTimestamp(start)
                .setAllAttributes(attributes)
                .startSpan();
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure);
        }
        span.end(max(start, end));
    }

    /** A {@link System#nanoTime()} reading as wall-clock time. */
    private Instant at(long nanoTime) {
        return clock.instant().minusNanos(System.nanoTime() - nanoTime);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
