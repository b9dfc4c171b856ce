package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.realtime.Usage;

/**
 * Per-call figures of the agent, on its owner thread: responses, barge-ins, accumulated token
 * usage, and response latency (caller speech stopped → first frame of the next agent item sent as
 * RTP). Each finished response is also reported to the {@link AgentObserver} as one turn, once
 * its latency is known: {@code response.done} usually precedes the first frame of a short answer
 * reaching RTP, so a done response without started audio waits for its item to start (or for the
 * next response, or the end of the call, when it never plays).
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
    private Usage usage = Usage.ZERO;

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

    void responseDone(String status, Usage u, long nanoTime) {
        responses++;
        Usage turnUsage = u == null ? Usage.ZERO : u;
        usage = usage.plus(turnUsage);
        long start = responseStartedAt == 0 ? nanoTime : responseStartedAt;
        responseStartedAt = 0;
        flush();
        pendingTurn = new AgentObserver.AgentTurn(start, nanoTime, responseLatencyMillis, status, turnUsage);
        if (responseAudioStarted) {
            flush();
        }
        responseLatencyMillis = -1;
        responseAudioStarted = false;
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

    Usage usage() {
        return usage;
    }
}
