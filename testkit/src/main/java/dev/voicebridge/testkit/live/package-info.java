/**
 * A fake OpenAI GPT-Live service on a real WebSocket ({@link dev.voicebridge.testkit.live.FakeLiveServer}):
 * continuous real-time output with silence, a model that stops by itself when the caller talks,
 * timed transcripts, the Responses-delegation tool round trip, usage in seconds, and scripted
 * failures. Served by {@link dev.voicebridge.testkit.ws.FakeWebSocketHost}, hearing callers with
 * the Realtime fake's {@link dev.voicebridge.testkit.realtime.CallerInput}.
 */
package dev.voicebridge.testkit.live;
