package dev.voicebridge.worker.model;

import dev.voicebridge.api.agent.ModelApi;

/**
 * What the call agent needs to know about an adapter to drive it without knowing its protocol.
 *
 * @param bargeIn who stops the agent's speech when the caller talks over it
 * @param billing what the call's cost is computed from
 * @param playoutDepthFrames the deepest our playout queue may get (20 ms frames), 0 for no bound:
 *     an adapter whose model stops by itself keeps it shallow, so the caller stops hearing the
 *     model within that many frames of the model stopping
 * @param reportsCallerSpeech the model reports when the caller starts and stops speaking
 *     ({@link ModelEvent.CallerSpeech}); otherwise the agent's own detector on the caller's audio
 *     stands in (response latency, interruptions)
 * @param rollsOver the agent replaces the session before the service's time limit with a new
 *     connection that continues the call; false when the session is bound to the call's media
 *     (the WebRTC relay: OpenAI's call cannot move to another session), which then lasts as long as
 *     the service allows
 */
public record Capabilities(
        BargeIn bargeIn,
        ModelApi.Billing billing,
        int playoutDepthFrames,
        boolean reportsCallerSpeech,
        boolean rollsOver) {

    public enum BargeIn {
        /**
         * The client cuts the model off: on caller speech we flush our playout and tell the model
         * how much of its item was actually heard (the Realtime API's truncate).
         */
        CLIENT_TRUNCATES,
        /**
         * The model listens while it speaks and stops by itself (GPT-Live); we never cut it off
         * and keep our playout queue shallow instead.
         */
        MODEL_CONTROLLED
    }
}
