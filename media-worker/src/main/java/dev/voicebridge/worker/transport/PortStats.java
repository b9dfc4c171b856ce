package dev.voicebridge.worker.transport;

/**
 * Counters of the shared UDP port.
 *
 * @param unroutable datagrams no call claimed (unknown ufrag, transaction or address): scans,
 *     late packets of ended calls, garbage
 * @param malformed datagrams that are none of STUN, DTLS, RTP or RTCP
 */
public record PortStats(long received, long sent, long sendErrors, long unroutable, long malformed) {}
