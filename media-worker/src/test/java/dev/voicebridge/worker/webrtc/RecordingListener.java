package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.v1alpha1.EndReason;
import java.util.concurrent.CompletableFuture;

/** Captures a session's lifecycle for assertions. */
final class RecordingListener implements TransportListener {
    final CompletableFuture<CallTransport> connected = new CompletableFuture<>();
    final CompletableFuture<EndReason> ended = new CompletableFuture<>();
    volatile String endDetail;
    /** How often the session reported the caller's first authenticated media (must be once). */
    final java.util.concurrent.atomic.AtomicInteger callerMedia = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onCallerMedia(CallTransport session) {
        callerMedia.incrementAndGet();
    }

    @Override
    public void onConnected(CallTransport session) {
        connected.complete(session);
    }

    @Override
    public void onEnded(CallTransport session, EndReason reason, String detail) {
        endDetail = detail;
        ended.complete(reason);
    }
}
