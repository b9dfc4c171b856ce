/**
 * OpenAI GPT-Live over WebSocket: {@link dev.voicebridge.worker.live.LiveClient} starts a session
 * ({@code session.start} → {@code session.started}), renders every client event through one
 * writer and parses every server event into the sealed
 * {@link dev.voicebridge.worker.live.LiveServerEvent} family. Full duplex with model-controlled
 * barge-in: there is no client event to cut the model off. The protocol facts and their sources
 * are in docs/agent.md, "GPT-Live protocol".
 */
package dev.voicebridge.worker.live;
