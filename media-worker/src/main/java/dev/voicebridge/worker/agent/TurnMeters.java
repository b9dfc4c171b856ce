package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.realtime.Usage;

/**
 * Per-call figures of the agent, on its owner thread: responses, barge-ins, accumulated token
 * usage, and response latency (caller speech stopped → first frame of the next agent item sent as
 * RTP). Each finished response is also reported to the {@link AgentObserver} as one turn.
 */
final class TurnMeters {
    private final AgentObserver observer;
    private long speechStoppedAt;
    private long responseStartedAt;
    private long responseLatencyMillis = -1;
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
        responseStartedAt = nanoTime;
        responseLatencyMillis = -1;
    }

    void speechStopped(long nanoTime) {
        speechStoppedAt = nanoTime;
    }

    /** Returns the turn's latency in ms when this item answers a caller turn, else -1. */
    long itemStarted(long nanoTime) {
        if (speechStoppedAt == 0 || nanoTime < speechStoppedAt) {
            return -1;
        }
        lastLatencyMillis = (nanoTime - speechStoppedAt) / 1_000_000;
        latencySumMillis += lastLatencyMillis;
        latencyCount++;
        speechStoppedAt = 0;
        responseLatencyMillis = lastLatencyMillis;
        return lastLatencyMillis;
    }

    void responseDone(String status, Usage u, long nanoTime) {
        responses++;
        Usage turnUsage = u == null ? Usage.ZERO : u;
        usage = usage.plus(turnUsage);
        long start = responseStartedAt == 0 ? nanoTime : responseStartedAt;
        responseStartedAt = 0;
        observer.turn(new AgentObserver.AgentTurn(start, nanoTime, responseLatencyMillis, status, turnUsage));
        responseLatencyMillis = -1;
    }

    void interrupted() {
        interruptions++;
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
