package dev.voicebridge.worker.ice;

/**
 * Counters of one call's ICE agent, counted at its socket on the shared port.
 *
 * @param controlling our ICE role; we start controlling and win every role conflict
 * @param selectedPair {@code local -> remote} of the nominated pair, or null
 * @param requestsSent binding requests we sent: connectivity checks and consent requests
 * @param requestsReceived binding requests routed to this call (full-ICE peers)
 * @param requestsAnswered success responses we sent
 * @param requestsRefused error responses ice4j sent (487 role conflict, 400)
 * @param rejected STUN routed to this call but malformed or not authentic (wrong USERNAME,
 *     MESSAGE-INTEGRITY not verifying): dropped before ice4j, never answered
 * @param queueDrops STUN datagrams dropped because this call's STUN queue was full (a flood)
 * @param consentAgeMillis time since the selected pair's consent was last confirmed, or -1
 * @param connectMillis checks start to a pair selected, or -1
 * @param roundTripMicros the smallest round trip of a check answered on its first transmission,
 *     or -1 (it sets the DTLS resend timer)
 * @param sendsRefused STUN datagrams ice4j wanted to send but the call's {@link CheckBudget}
 *     refused (destination policy, distinct destinations, rate, total)
 * @param destinations distinct addresses this call sent binding requests to
 */
public record IceStats(
        String state,
        boolean controlling,
        String selectedPair,
        long requestsSent,
        long responsesReceived,
        long requestsReceived,
        long requestsAnswered,
        long requestsRefused,
        long rejected,
        long queueDrops,
        long consentAgeMillis,
        long connectMillis,
        long roundTripMicros,
        long sendsRefused,
        int destinations) {}
