package dev.voicebridge.worker.calls;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.telemetry.CallTrace;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the Kubernetes side of the worker asks of the media and agent planes, one call at a time.
 * The Kubernetes side never touches sockets or the model; the engine never touches the API server.
 */
public interface CallEngine {

    /**
     * Prepares a call: opens (pre-warms) the agent session and builds the SDP answer. May block for
     * a short, bounded time; never called on an informer thread.
     *
     * @throws CallSetupException when the call cannot be served (e.g. an offer without Opus)
     */
    RunningCall start(CallSetup setup, CallObserver observer) throws CallSetupException;

    /**
     * Loads, at start-up, what the first call's {@link #start} would otherwise load on its setup
     * path (model clients and their shared transports). Best effort; never opens a model session.
     */
    default void warmUp() {}

    /**
     * Everything needed to start one call. {@code openAiApiKey} is empty for the embedded agent;
     * {@code secrets} reads the Secret values HTTP tools reference (bearer tokens), on demand;
     * {@code trace} records the call's phases as spans (the engine reports the ones it sees);
     * {@code maxDuration} is the call's hard limit from media up (its own, else its agent's; null
     * for none). {@code sdpOffer} is null on a business-initiated call: the engine makes the
     * offer ({@link RunningCall#sdpOffer}) and takes WhatsApp's answer later.
     */
    record CallSetup(
            String name,
            String callId,
            String sdpOffer,
            AcceptBy acceptBy,
            VoiceAgentSpec agent,
            AgentOverrides overrides,
            Optional<String> openAiApiKey,
            Function<SecretKeyRef, String> secrets,
            CallTrace trace,
            Duration maxDuration) {
        @Override
        public String toString() {
            // Never print the key or the offer (it holds ICE credentials).
            return "CallSetup[" + name + ", acceptBy=" + acceptBy + "]";
        }
    }

    /** A call the engine runs. All methods are non-blocking and safe from any thread. */
    interface RunningCall {
        /** Our answer to the caller's offer; null on a call we offered. */
        String sdpAnswer();

        /** Our offer on a business-initiated call (Graph connect carries it); null otherwise. */
        default String sdpOffer() {
            return null;
        }

        /**
         * WhatsApp's answer to our offer: connectivity starts. Once; throws {@link
         * CallSetupException} (InvalidAnswer) for an answer we cannot use.
         */
        default void remoteAnswer(String sdp) throws CallSetupException {
            throw new CallSetupException(EndReason.InternalError, "this call did not offer");
        }

        /**
         * WhatsApp accepted the call at {@code acceptedAt} (as the accepting service recorded it;
         * null: now): release RTP and start the greeting, whose lead-in counts from that time.
         * Idempotent.
         */
        void accepted(Instant acceptedAt);

        /** End the call; the observer's {@code ended} follows. Idempotent. */
        void hangup(EndReason reason, String message);

        /** A fresh snapshot of the media figures; the caller may modify it. */
        MediaStatus mediaStatus();

        /** A fresh snapshot of the agent figures; the caller may modify it. */
        AgentStatus agentStatus();
    }

    /** Upward events of one call; implementations only enqueue. */
    interface CallObserver {
        /** ICE and DTLS-SRTP are up (the operator then sends {@code accept}). */
        void mediaConnected();

        /** The caller's first authenticated media arrived (the accept of {@code acceptBy: media}). */
        default void callerMedia() {}

        /** The call ended, for the given reason; no further events follow. */
        void ended(EndReason reason, String message);
    }

    /** A call the engine refused to start, with the reason that ends it. */
    final class CallSetupException extends Exception {
        private final EndReason reason;

        public CallSetupException(EndReason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public EndReason reason() {
            return reason;
        }
    }
}
