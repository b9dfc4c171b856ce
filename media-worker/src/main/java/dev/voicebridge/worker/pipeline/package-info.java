/**
 * The per-call media pipeline between RTP and the agent's PCM ports: {@link
 * dev.voicebridge.worker.pipeline.CallMedia} (one per call) wires {@code CallerToAgent} (jitter
 * buffer, Opus decode, DTMF) and {@code AgentToCaller} (playout queue, Opus encode, RTP, RTCP),
 * all driven by the worker's single {@link dev.voicebridge.worker.pipeline.Pacer}. Sockets, ICE
 * and SRTP live in the transport; it plugs in through {@link
 * dev.voicebridge.worker.pipeline.RtpOutput} and {@code CallMedia.onDatagram}. See DESIGN.md.
 */
package dev.voicebridge.worker.pipeline;
