package dev.voicebridge.worker.session;

import dev.voicebridge.api.v1alpha1.EndReason;
import java.util.concurrent.CompletableFuture;

/** Captures a session's lifecycle for assertions. */
final class RecordingListener implements SessionListener {
    final CompletableFuture<CallSession> connected = new CompletableFuture<>();
    final CompletableFuture<EndReason> ended = new CompletableFuture<>();
    volatile String endDetail;

    @Override
    public void onConnected(CallSession session) {
        connected.complete(session);
    }

    @Override
    public void onEnded(CallSession session, EndReason reason, String detail) {
        endDetail = detail;
        ended.complete(reason);
    }
}
