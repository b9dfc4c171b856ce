/**
 * SRTP/SRTCP protection (RFC 3711, RFC 7714) keyed by DTLS-SRTP, on jitsi-srtp's crypto contexts.
 * Drops are counted by reason and never thrown.
 */
package dev.voicebridge.media.srtp;
