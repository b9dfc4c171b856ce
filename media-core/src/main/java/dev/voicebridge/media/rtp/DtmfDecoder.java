package dev.voicebridge.media.rtp;

import java.util.Optional;

/**
 * Turns a stream of RFC 4733 packets into one digit per key press. All packets of one event share
 * its RTP timestamp (RFC 4733 2.5.1.2), and the end packet is sent three times (2.5.1.4), so the
 * digit is reported on the first packet seen with a new timestamp and every later packet of that
 * event, including retransmitted ends and reordered updates, is a duplicate. Single-threaded.
 */
public final class DtmfDecoder {
    private boolean any;
    private long currentTimestamp;
    private long duplicates;

    /** Returns the digit when this packet starts a new event. */
    public Optional<Character> onPacket(long rtpTimestamp, byte[] payload) {
        Optional<TelephoneEvent> event = TelephoneEvent.parse(payload);
        if (event.isEmpty()) {
            return Optional.empty();
        }
        if (any && rtpTimestamp == currentTimestamp) {
            duplicates++;
            return Optional.empty();
        }
        // An event timestamp older than the current one is a straggler from a finished event.
        if (any && SequenceNumbers.delta32(currentTimestamp, rtpTimestamp) < 0) {
            duplicates++;
            return Optional.empty();
        }
        any = true;
        currentTimestamp = rtpTimestamp;
        return event.get().digit();
    }

    /** Packets that belonged to an event already reported. */
    public long duplicates() {
        return duplicates;
    }
}
