package dev.voicebridge.signaling.callapi;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.HangupRequest;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.signaling.calls.CallCache;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import dev.voicebridge.signaling.telemetry.SignalingMetrics;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * Finding a client's call and hanging it up, shared by the call API and the drop-in endpoints, so
 * both answer a call outside the client's scope exactly like a missing one.
 */
public final class CallActions {
    private static final Logger LOG = Logger.getLogger(CallActions.class.getName());

    private final CallStore store;
    private final CallCache cache;
    private final Clock clock;

    public CallActions(CallStore store, CallCache cache, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * The informer's copy when it has one, else the API server (it may not have caught up yet). A
     * call outside the client's scope is answered exactly as a missing one: same code, same detail.
     */
    public VoiceCall existing(String callId, ApiClient client) {
        String name = CallNames.forCallId(callId);
        VoiceCall call = cache.get(name);
        if (call == null) {
            call = store.find(name).orElse(null);
        }
        if (call == null || !inScope(client, call)) {
            throw new ProblemException(ProblemCode.CALL_NOT_FOUND, "no call with this callId (" + name + ")");
        }
        return call;
    }

    /** Sets {@code spec.hangup} (reason ApiHangup) unless a hang-up is already requested. */
    public void hangUp(String callId, ApiClient client, String how) {
        VoiceCall call = existing(callId, client);
        var hangup = new HangupRequest();
        hangup.setReason(EndReason.ApiHangup);
        hangup.setRequestedAt(clock.instant().toString());
        hangup.setMessage(how + " by client " + client.name());
        if (store.requestHangupIfAbsent(call, hangup)) {
            LOG.info(LogLine.of("api.call.hangup", "call", call.getMetadata().getName(), "client", client.name()));
        }
    }

    /** Set by the authentication filter bound to every such method; absent only if that binding broke. */
    public static ApiClient client(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof ApiClient client) {
            return client;
        }
        throw new IllegalStateException("call API method reached without an authenticated client");
    }

    /** Runs an API operation, recording its latency under {@code operation} with the status it got. */
    public static Response timed(SignalingMetrics metrics, String operation, Callable<Response> work) throws Exception {
        long started = System.nanoTime();
        int status = 500;
        try {
            Response response = work.call();
            status = response.getStatus();
            return response;
        } catch (ProblemException e) {
            status = e.code().status();
            throw e;
        } finally {
            metrics.apiLatency(operation, status, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    public static boolean inScope(ApiClient client, VoiceCall call) {
        var spec = call.getSpec();
        return spec != null && client.covers(spec.getAgentRef(), spec.getPhoneNumberId());
    }
}
