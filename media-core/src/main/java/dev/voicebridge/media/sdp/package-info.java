/**
 * WebRTC SDP for the WhatsApp leg: {@link dev.voicebridge.media.sdp.SdpParser} turns a remote offer
 * into a typed {@link dev.voicebridge.media.sdp.SdpOffer} (or refuses it with a stable code), and
 * {@link dev.voicebridge.media.sdp.SdpAnswerBuilder} writes our answer. No I/O, no state.
 */
package dev.voicebridge.media.sdp;
