/**
 * The ports between the media plane (RTP, Opus, pacing) and the agent plane (realtime model
 * sessions): 24 kHz mono PCM16 in 20 ms frames, in each direction. Neither side knows how the
 * other is built; tests plug fakes into either side.
 */
package dev.voicebridge.worker.audio;
