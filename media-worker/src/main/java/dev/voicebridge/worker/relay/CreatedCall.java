package dev.voicebridge.worker.relay;

/**
 * A model session created over WebRTC: the model's SDP answer, and the id its sideband WebSocket
 * joins (Realtime's {@code rtc_…} call id, GPT-Live's session id).
 */
public record CreatedCall(String answerSdp, String callId) {}
