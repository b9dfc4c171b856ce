/**
 * STUN (RFC 5389) encoding and decoding for ICE connectivity checks and consent freshness, shared
 * by the media worker's ICE agent and the testkit's ICE-lite phone.
 */
package dev.voicebridge.media.stun;
