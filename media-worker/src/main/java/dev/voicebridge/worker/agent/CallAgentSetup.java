package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.SecretKeyRef;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.model.ModelProvider;
import java.time.Duration;
import java.util.function.Function;

/**
 * Everything one call's agent is built from.
 *
 * @param callId how the call is named in thread names and logs: the VoiceCall's resource name (a
 *     hash of WhatsApp's call id, which is kept out of logs), never a phone number
 * @param provider the model API that answers (chosen from the VoiceAgent's {@code api} and key)
 * @param secrets resolves HTTP tools' bearer-token Secret references (may be null)
 * @param observer told of model connects, agent turns and usage (tracing, metrics)
 * @param maxDuration hard limit from media up (the call's own, else its agent's); null for none
 */
public record CallAgentSetup(
        String callId,
        VoiceAgentSpec agent,
        AgentOverrides overrides,
        ModelProvider provider,
        AgentAudioOutput output,
        CallEndListener endListener,
        Function<SecretKeyRef, String> secrets,
        AgentConfig config,
        AgentObserver observer,
        Duration maxDuration) {

    public CallAgentSetup {
        observer = observer == null ? AgentObserver.NONE : observer;
    }

    /** A setup nobody observes, with no duration limit of its own. */
    public CallAgentSetup(
            String callId,
            VoiceAgentSpec agent,
            AgentOverrides overrides,
            ModelProvider provider,
            AgentAudioOutput output,
            CallEndListener endListener,
            Function<SecretKeyRef, String> secrets,
            AgentConfig config) {
        this(callId, agent, overrides, provider, output, endListener, secrets, config, AgentObserver.NONE, null);
    }
}
