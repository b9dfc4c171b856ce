package dev.voicebridge.media.rtp;

import java.util.Optional;

/**
 * One RFC 4733 section 2.3 named-event payload (4 bytes): event, E(nd) bit, volume (dBm0, 0..63),
 * duration in RTP timestamp units of the telephone-event clock.
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {
    public static final int BYTES = 4;
    private static final String DIGITS = "0123456789*#ABCD";

    public TelephoneEvent {
        if (event < 0 || event > 255 || volume < 0 || volume > 63 || duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("telephone-event field out of range");
        }
    }

    /** Events 0..15 are the DTMF digits (RFC 4733 table 7); others (flash, tones) map to nothing. */
    public Optional<Character> digit() {
        return event < DIGITS.length() ? Optional.of(DIGITS.charAt(event)) : Optional.empty();
    }

    public static int eventOf(char digit) {
        int i = DIGITS.indexOf(Character.toUpperCase(digit));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        return i;
    }

    /** Empty when the payload is shorter than one event (RFC 4733 allows several; the first counts). */
    public static Optional<TelephoneEvent> parse(byte[] payload) {
        if (payload == null || payload.length < BYTES) {
            return Optional.empty();
        }
        return Optional.of(new TelephoneEvent(
                payload[0] & 0xFF,
                (payload[1] & 0x80) != 0,
                payload[1] & 0x3F,
                ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF)));
    }

    public byte[] toBytes() {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >>> 8), (byte) duration};
    }
}
