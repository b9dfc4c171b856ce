package dev.voicebridge.worker.agent;

import dev.voicebridge.api.v1alpha1.EndReason;

/**
 * The agent asks for the call to end. Called once, on the agent's owner thread: implementations
 * only enqueue (the call's lifecycle owner tears the call down).
 */
@FunctionalInterface
public interface CallEndListener {
    void endCall(EndReason reason, String detail);
}
