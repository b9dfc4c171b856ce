package dev.voicebridge.worker.ice;

/**
 * Counters of one call's ICE agent.
 *
 * @param selectedPair {@code local -> remote} of the nominated pair, or null
 * @param badIntegrity STUN messages whose MESSAGE-INTEGRITY did not verify (dropped)
 */
public record IceStats(
        String state,
        String selectedPair,
        long checksSent,
        long responsesReceived,
        long requestsAnswered,
        long badIntegrity,
        long consentRequestsSent,
        long consentResponses,
        long connectMillis) {}
