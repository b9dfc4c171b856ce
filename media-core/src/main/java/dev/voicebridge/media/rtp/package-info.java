/**
 * RTP (RFC 3550) and RTCP codecs, RTP/RTCP mux detection (RFC 5761), sequence arithmetic,
 * reception statistics and jitter (RFC 3550 A.1/A.3/A.8), and RFC 4733 telephone events. Parsers
 * take untrusted bytes and report malformed input as values, never as exceptions.
 */
package dev.voicebridge.media.rtp;
