package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.realtime.RealtimeClient;
import java.util.function.Function;

/**
 * Everything one call's agent is built from.
 *
 * @param callId how the call is named in thread names and logs: the VoiceCall's resource name (a
 *     hash of WhatsApp's call id, which is kept out of logs), never a phone number
 * @param secrets resolves HTTP tools' bearer-token Secret references (may be null)
 * @param observer told of model connects and agent turns (tracing)
 */
public record CallAgentSetup(
        String callId,
        VoiceAgentSpec agent,
        AgentOverrides overrides,
        RealtimeClient client,
        AgentAudioOutput output,
        CallEndListener endListener,
        Function<SecretKeyRef, String> secrets,
        AgentConfig config,
        AgentObserver observer) {

    public CallAgentSetup {
        observer = observer == null ? AgentObserver.NONE : observer;
    }

    /** A setup nobody observes. */
    public CallAgentSetup(
            String callId,
            VoiceAgentSpec agent,
            AgentOverrides overrides,
            RealtimeClient client,
            AgentAudioOutput output,
            CallEndListener endListener,
            Function<SecretKeyRef, String> secrets,
            AgentConfig config) {
        this(callId, agent, overrides, client, output, endListener, secrets, config, AgentObserver.NONE);
    }
}
