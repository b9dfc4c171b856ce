package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;

/**
 * Per-call figures of the agent, on its owner thread: turns, barge-ins, accumulated usage, and
 * response latency (caller speech stopped → first frame of the next agent item sent as RTP). Each
 * finished turn is also reported to the {@link AgentObserver}, once its latency is known: a short
 * answer's turn usually ends before its first frame reaches RTP, so a finished turn without started
 * audio waits for its item to start (or for the next turn, or the end of the call, when it never
 * plays). Usage is reported as it arrives, whatever turn it belongs to.
 */
final class TurnMeters {
    private final AgentObserver observer;
    private long speechStoppedAt;
    private long responseStartedAt;
    private long responseLatencyMillis = -1;
    private boolean responseAudioStarted;
    private AgentObserver.AgentTurn pendingTurn;
    private long lastLatencyMillis = -1;
    private long latencySumMillis;
    private int latencyCount;
    private int responses;
    private int interruptions;
    private ModelUsage usage = ModelUsage.ZERO;

    TurnMeters(AgentObserver observer) {
        this.observer = observer;
    }

    void responseCreated(long nanoTime) {
        flush();
        responseStartedAt = nanoTime;
        responseLatencyMillis = -1;
        responseAudioStarted = false;
    }

    void speechStopped(long nanoTime) {
        speechStoppedAt = nanoTime;
    }

    /** Returns the turn's latency in ms when this item answers a caller turn, else -1. */
    long itemStarted(long nanoTime) {
        responseAudioStarted = true;
        if (speechStoppedAt == 0 || nanoTime < speechStoppedAt) {
            flush();
            return -1;
        }
        lastLatencyMillis = (nanoTime - speechStoppedAt) / 1_000_000;
        latencySumMillis += lastLatencyMillis;
        latencyCount++;
        speechStoppedAt = 0;
        responseLatencyMillis = lastLatencyMillis;
        if (pendingTurn != null) {
            var t = pendingTurn;
            pendingTurn =
                    new AgentObserver.AgentTurn(t.startNanos(), t.endNanos(), lastLatencyMillis, t.status(), t.usage());
            flush();
        }
        return lastLatencyMillis;
    }

    void responseDone(String status, TokenUsage tokens, long nanoTime) {
        responses++;
        long start = responseStartedAt == 0 ? nanoTime : responseStartedAt;
        responseStartedAt = 0;
        flush();
        pendingTurn = new AgentObserver.AgentTurn(
                start, nanoTime, responseLatencyMillis, status, tokens == null ? TokenUsage.ZERO : tokens);
        if (responseAudioStarted) {
            flush();
        }
        responseLatencyMillis = -1;
        responseAudioStarted = false;
    }

    void billed(ModelUsage delta) {
        usage = usage.plus(delta);
        observer.usage(delta);
    }

    /** Reports the finished response still waiting for its audio (none is coming, or the call ends). */
    void flush() {
        if (pendingTurn != null) {
            var t = pendingTurn;
            pendingTurn = null;
            observer.turn(t);
        }
    }

    void interrupted() {
        interruptions++;
        observer.interrupted();
    }

    long lastLatencyMillis() {
        return lastLatencyMillis;
    }

    long meanLatencyMillis() {
        return latencyCount == 0 ? -1 : latencySumMillis / latencyCount;
    }

    int responses() {
        return responses;
    }

    int interruptions() {
        return interruptions;
    }

    ModelUsage usage() {
        return usage;
    }
}
