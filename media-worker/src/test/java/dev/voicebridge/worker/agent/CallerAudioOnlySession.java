package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.model.ModelSession;
import dev.voicebridge.worker.model.ModelUsage;
import java.util.concurrent.CompletableFuture;

/** A model session for tests of the caller-audio path: only {@link #callerAudio} does anything. */
interface CallerAudioOnlySession extends ModelSession {
    @Override
    default void say(String instructions) {}

    @Override
    default void callerText(String text) {}

    @Override
    default void toolResult(String callId, String output, boolean respond) {}

    @Override
    default void interrupted(String itemId, int playedMillis) {}

    @Override
    default CompletableFuture<ModelUsage> close() {
        return CompletableFuture.completedFuture(ModelUsage.ZERO);
    }

    @Override
    default void abort() {}
}
