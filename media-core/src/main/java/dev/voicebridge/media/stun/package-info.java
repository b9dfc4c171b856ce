/**
 * STUN (RFC 5389) decoding and encoding for ICE binding messages: the media worker's shared-port
 * demultiplexer routes and authenticates with it before ice4j sees a message, and the testkit's
 * ICE-lite phone answers checks with it.
 */
package dev.voicebridge.media.stun;
