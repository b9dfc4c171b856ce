package dev.voicebridge.media.sdp;

/**
 * An offered {@code telephone-event} payload (RFC 4733 section 7.1.1). The clock rate matters:
 * event durations are counted in its units.
 */
public record TelephoneEventFormat(int payloadType, int clockRate, String fmtp) {}
