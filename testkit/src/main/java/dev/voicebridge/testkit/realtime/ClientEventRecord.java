package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One client event as the fake server received it.
 *
 * @param connection 1-based index of the WebSocket connection it came on
 * @param nanoTime {@link System#nanoTime()} at receipt
 */
public record ClientEventRecord(int connection, String type, JsonNode json, long nanoTime) {}
