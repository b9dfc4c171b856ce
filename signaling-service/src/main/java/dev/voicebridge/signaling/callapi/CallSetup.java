package dev.voicebridge.signaling.callapi;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.PhoneNumbers;
import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.signaling.calls.AgentDirectory;
import dev.voicebridge.signaling.calls.AnswerWaiters;
import dev.voicebridge.signaling.calls.CallAnnotations;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.calls.SetupOutcome;
import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * POST /v1/calls: create the VoiceCall (idempotent by call id), then wait, bounded, for the
 * worker's answer through the shared informer. Runs on the request's virtual thread, so the wait
 * costs a parked thread and a waiter entry, not a watch.
 */
public final class CallSetup {
    private static final Logger LOG = Logger.getLogger(CallSetup.class.getName());

    private final CallStore store;
    private final CallCache cache;
    private final AgentDirectory agents;
    private final AnswerWaiters waiters;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private final Clock clock;

    public CallSetup(
            CallStore store,
            CallCache cache,
            AgentDirectory agents,
            AnswerWaiters waiters,
            SignalingConfig config,
            SignalingMetrics metrics,
            Clock clock) {
        this.store = store;
        this.cache = cache;
        this.agents = agents;
        this.waiters = waiters;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    public record Answer(String name, String callId, String sdpAnswer) {}

    public Answer setUp(CreateCallRequest request, ApiClient client, String traceparent) throws InterruptedException {
        String name = CallNames.forCallId(request.callId());
        String agent = agentFor(request, client);
        var spec = new VoiceCallSpec();
        spec.setCallId(request.callId());
        spec.setSource(CallSource.api);
        spec.setDirection(CallDirection.inbound);
        spec.setAcceptBy(request.acceptBy());
        spec.setPhoneNumberId(request.phoneNumberId());
        spec.setCaller(request.from());
        spec.setCallerDisplay(PhoneNumbers.mask(request.from()));
        spec.setCallee(request.to());
        spec.setAgentRef(agent);
        spec.setSdpOffer(request.sdpOffer());
        spec.setMaxDurationSeconds(request.maxDurationSeconds());
        spec.setReceivedAt(clock.instant().toString());
        if (request.overrides() != null) {
            var overrides = new AgentOverrides();
            overrides.setInstructions(request.overrides().instructions());
            overrides.setVoice(request.overrides().voice());
            overrides.setModel(request.overrides().model());
            spec.setOverrides(overrides);
        }
        var call = new VoiceCall(spec);
        Map<String, String> annotations = new HashMap<>();
        annotations.put(CallAnnotations.API_CLIENT, client.name());
        if (traceparent != null) {
            annotations.put(Labels.TRACEPARENT_ANNOTATION, traceparent);
        }
        call.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withAnnotations(annotations)
                .build());

        switch (store.create(call)) {
            case CallStore.New n -> {
                LOG.info(CallStep.RECEIVED.line(
                        name,
                        "source",
                        "api",
                        "from",
                        PhoneNumbers.mask(request.from()),
                        "agent",
                        agent,
                        "client",
                        client.name()));
                LOG.fine(() -> LogLine.of("api.call.call-id", "call", name, "callId", request.callId()));
            }
            case CallStore.Existing e -> {
                String offer =
                        e.call().getSpec() == null ? null : e.call().getSpec().getSdpOffer();
                // A call of another scope answers like a conflicting offer: its existence, offer
                // and answer stay hidden from this client.
                if (!CallApiResource.inScope(client, e.call()) || !Objects.equals(offer, request.sdpOffer())) {
                    LOG.warning(LogLine.of("api.call.conflicting-offer", "call", name));
                    throw new ProblemException(
                            ProblemCode.CALL_ID_CONFLICT,
                            "call " + name + " already exists with a different sdpOffer; use a new callId");
                }
                LOG.info(LogLine.of("api.call.retry", "call", name));
            }
        }

        long started = System.nanoTime();
        SetupOutcome outcome = waiters.await(name, config.answerWait(), cache::get);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        return switch (outcome) {
            case SetupOutcome.Answered a -> {
                metrics.setupWait("answered", waited);
                yield new Answer(name, request.callId(), a.sdpAnswer());
            }
            case SetupOutcome.NoCapacity nc -> {
                metrics.setupWait("no-capacity", waited);
                throw new ProblemException(
                        ProblemCode.NO_CAPACITY,
                        "no media worker can take call " + name + (nc.message() == null ? "" : ": " + nc.message()),
                        config.retryAfterSeconds(),
                        null);
            }
            case SetupOutcome.Ended end -> {
                metrics.setupWait("ended", waited);
                throw ended(name, end);
            }
            case SetupOutcome.Pending p -> {
                metrics.setupWait("timeout", waited);
                throw new ProblemException(
                        ProblemCode.ANSWER_TIMEOUT,
                        "no SDP answer for call " + name + " within "
                                + config.answerWait().toMillis()
                                + " ms; retry with the same callId and offer to keep waiting");
            }
        };
    }

    private static ProblemException ended(String name, SetupOutcome.Ended end) {
        String detail = "call " + name + " ended before an answer: " + end.reason()
                + (end.message() == null ? "" : " (" + end.message() + ")");
        if (end.reason() == EndReason.InvalidOffer) {
            return new ProblemException(ProblemCode.OFFER_REJECTED, detail);
        }
        if (end.reason() != null && !end.reason().isFailure()) {
            return new ProblemException(ProblemCode.CALL_ENDED, detail);
        }
        return new ProblemException(ProblemCode.CALL_FAILED, detail);
    }

    /**
     * The agent the call will run, which must be in the client's scope together with the call's
     * phone-number id. An agent outside the scope is answered like one that does not exist.
     */
    private String agentFor(CreateCallRequest request, ApiClient client) {
        if (!agents.hasSynced()) {
            throw new ProblemException(
                    ProblemCode.KUBERNETES_UNAVAILABLE, "VoiceAgent cache not synced yet, retry", 1, null);
        }
        if (request.agent() != null) {
            if (!agents.exists(request.agent()) || !client.covers(request.agent(), request.phoneNumberId())) {
                throw new ProblemException(ProblemCode.AGENT_NOT_FOUND, "no VoiceAgent named " + request.agent());
            }
            return request.agent();
        }
        String agent = agents.forPhoneNumberId(request.phoneNumberId())
                .orElse(config.defaultAgent().isBlank() ? null : config.defaultAgent());
        String number = request.phoneNumberId() == null ? "<none>" : request.phoneNumberId();
        if (agent == null) {
            throw new ProblemException(
                    ProblemCode.MISSING_FIELD,
                    "agent is required: no VoiceAgent serves phoneNumberId " + number
                            + " and no default agent is configured");
        }
        if (!client.covers(agent, request.phoneNumberId())) {
            throw new ProblemException(
                    ProblemCode.AGENT_NOT_FOUND, "no VoiceAgent this client may use serves phoneNumberId " + number);
        }
        return agent;
    }
}
