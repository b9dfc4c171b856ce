/**
 * The model-session port between the call agent and a voice model API: a
 * {@link dev.voicebridge.worker.model.ModelProvider} opens
 * {@link dev.voicebridge.worker.model.ModelSession}s that take caller audio and commands and report
 * the sealed {@link dev.voicebridge.worker.model.ModelEvent} family (agent audio, transcripts,
 * tool calls, turns, usage, lifecycle). {@link dev.voicebridge.worker.model.Capabilities} says
 * what differs between APIs that the agent must act on: who owns barge-in, how usage is billed,
 * how deep the playout queue may get. Adapters: {@code realtime.RealtimeProvider} (Realtime API
 * and the embedded agent), {@code live.LiveProvider} (GPT-Live).
 */
package dev.voicebridge.worker.model;
