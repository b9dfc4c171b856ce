package dev.voicebridge.worker.ice;

import java.time.Duration;

/**
 * ICE timing.
 *
 * @param pacing interval between two checks sent by one call (RFC 8445 §14.2 Ta; 20 ms)
 * @param checkTimeout how long connectivity checks may take before the call fails with IceFailed
 * @param consentInterval mean interval of consent freshness requests (RFC 7675 §5.1: 5 s, ±20 %)
 * @param consentTimeout no consent response for this long and the call fails (RFC 7675: 30 s)
 */
public record IceConfig(Duration pacing, Duration checkTimeout, Duration consentInterval, Duration consentTimeout) {

    public static IceConfig defaults() {
        return new IceConfig(
                Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
}
