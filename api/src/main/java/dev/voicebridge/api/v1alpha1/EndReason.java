package dev.voicebridge.api.v1alpha1;

/**
 * Why a call ended. One enum for the whole product: it is the {@code status.end.reason}, the
 * reason of the terminal condition and Event, and the label of the ended-calls metric.
 */
public enum EndReason {
    /** The WhatsApp user hung up (terminate webhook). */
    CallerHangup(false),
    /** A client of the call API hung up (DELETE /v1/calls/{id}) or someone set spec.hangup. */
    ApiHangup(false),
    /** The agent ended the call with its end_call tool. */
    AgentHangup(false),
    /** The call reached its maximum duration. */
    MaxDuration(false),
    /** Nobody spoke for the agent's idle timeout (its idle policy). */
    CallerIdle(false),
    /** The call was terminated before it was answered (terminate before connect). */
    Canceled(false),
    /** Outbound: the WhatsApp user declined the call (status REJECTED). */
    Rejected(false),
    /** Outbound: nobody picked up before the ring timeout, or WhatsApp ended the call unanswered. */
    NoAnswer(false),
    /**
     * Outbound: the user has not granted the business call permission (Graph call_permissions, or
     * connect error 138006; WhatsApp also revokes a permission after repeated unanswered calls).
     */
    NoCallPermission(true),
    /**
     * Outbound: a WhatsApp calling limit forbids the call now: connected calls per user and day
     * (138012), the number's call rate (138005), or call_permissions' start_call limit.
     */
    CallLimitReached(true),
    /** Outbound: business-initiated calling is not available for this number or its country (138013). */
    CallingUnavailable(true),
    /** Outbound: WhatsApp cannot reach the user (138001) or a call with them is already ongoing (138003). */
    CalleeUnavailable(true),
    /** No media worker could take the call in time; WhatsApp was told to reject it. */
    NoCapacity(true),
    /** The SDP offer could not be served (no Opus, no fingerprint, malformed). */
    InvalidOffer(true),
    /** Outbound: WhatsApp's SDP answer to our offer could not be used (malformed, another codec). */
    InvalidAnswer(true),
    /** The call was answered but media never connected in time. */
    MediaTimeout(true),
    /** ICE failed or consent freshness was lost. */
    IceFailed(true),
    /** The DTLS handshake failed, including a peer fingerprint mismatch (fail closed). */
    DtlsFailed(true),
    /** The media worker running the call disappeared or stayed not ready. */
    WorkerLost(true),
    /** The media worker shut down before the call ended (drain grace period ran out). */
    WorkerShutdown(true),
    /** The realtime model stayed unreachable past the configured bound. */
    AgentUnavailable(true),
    /** The realtime model reported a fatal error. */
    AgentError(true),
    /**
     * The call's VoiceAgent is invalid (unknown API, a model of another API, a price table of the
     * other billing model, a missing Secret): the message is the agent's Ready condition message.
     */
    AgentInvalid(true),
    /** WhatsApp refused an action (Graph API error) or reported the call failed. */
    WhatsAppError(true),
    /** Something inside voicebridge failed unexpectedly. */
    InternalError(true);

    private final boolean failure;

    EndReason(boolean failure) {
        this.failure = failure;
    }

    /** Whether a call ending for this reason is {@link CallPhase#Failed} rather than Ended. */
    public boolean isFailure() {
        return failure;
    }

    public CallPhase terminalPhase() {
        return failure ? CallPhase.Failed : CallPhase.Ended;
    }
}
