package dev.voicebridge.worker.transport;

import java.util.Map;

/**
 * Counters of the shared UDP port.
 *
 * @param sent datagrams the sender thread handed to the socket
 * @param sendErrors sends the socket refused (no route, wrong address family, oversized)
 * @param sendDrops datagrams dropped because the send queue was full
 * @param unroutable well-formed datagrams no call claimed (unknown ufrag, transaction or address):
 *     scans, late packets of ended calls
 * @param malformed datagrams dropped for their framing, by kind
 * @param handlerErrors datagrams a call's handler threw on (our bug; logged rate-limited)
 * @param failure why the port stopped working for good, or null while it works
 */
public record PortStats(
        long received,
        long sent,
        long sendErrors,
        long sendDrops,
        long unroutable,
        Map<MalformedKind, Long> malformedByKind,
        long handlerErrors,
        String failure) {

    public PortStats {
        malformedByKind = Map.copyOf(malformedByKind);
    }

    /** All malformed datagrams, whatever their kind. */
    public long malformed() {
        return malformedByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public long malformed(MalformedKind kind) {
        return malformedByKind.getOrDefault(kind, 0L);
    }
}
