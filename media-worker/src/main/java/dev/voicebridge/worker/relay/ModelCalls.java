package dev.voicebridge.worker.relay;

import java.util.concurrent.CompletableFuture;

/** Where a relayed call's model leg is created: OpenAI's Realtime calls or GPT-Live sessions endpoint. */
public interface ModelCalls {
    /**
     * Creates the model's session for our SDP offer.
     *
     * @param sessionJson the session's configuration (a JSON object), or null where the API allows none
     * @return completes with the answer, or exceptionally with a {@link ModelCallRefusedException}
     *     (or the transport's {@link java.io.IOException})
     */
    CompletableFuture<CreatedCall> create(String offerSdp, String sessionJson);

    /**
     * Ends the model's session of {@code callId} where the API has a way to (Realtime's hang-up);
     * default: nothing to call, the session ends with its leg.
     */
    default CompletableFuture<Void> hangup(String callId) {
        return CompletableFuture.completedFuture(null);
    }
}
