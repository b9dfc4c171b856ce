package dev.voicebridge.testkit.phone;

import java.time.Duration;

/**
 * How a phone behaves as one of many in a load test: it replays pre-encoded audio instead of
 * encoding, never decodes what it hears (its playout only counts what it would conceal), measures
 * when packets arrive, and reports its reception in RTCP as a WhatsApp client does — the worker's
 * encoder settings follow those reports. SRTP, ICE and DTLS stay real.
 *
 * @param audio what the phone says, looped
 * @param startFrame where in the loop the phone starts (so phones do not all talk at once)
 * @param rtcpInterval between two sender reports (with a report block about what it hears)
 */
public record LoadProfile(EncodedAudio audio, int startFrame, Duration rtcpInterval) {}
