package dev.voicebridge.worker.ice;

/**
 * How much STUN one call's ICE may send (ice4j paces new checks by Ta, RFC 8445 §14, but not its
 * retransmissions, triggered checks or consent requests, and nothing bounds their sum).
 *
 * @param perSecond binding requests per second (a token bucket holding one second's worth)
 * @param totalBeforeSelection binding requests in all until a pair is selected; afterwards only
 *     consent requests to the selected pair go out (RFC 7675), bounded by the rate
 */
public record CheckLimits(int perSecond, int totalBeforeSelection) {
    public static final int DEFAULT_PER_SECOND = 100;
    public static final int DEFAULT_TOTAL = 300;

    public CheckLimits {
        if (perSecond < 1 || totalBeforeSelection < 1) {
            throw new IllegalArgumentException("check limits must be positive");
        }
    }

    public static CheckLimits defaults() {
        return new CheckLimits(DEFAULT_PER_SECOND, DEFAULT_TOTAL);
    }
}
