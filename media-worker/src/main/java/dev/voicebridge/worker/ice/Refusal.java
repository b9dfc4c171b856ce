package dev.voicebridge.worker.ice;

import java.util.Locale;

/**
 * Why the worker took a remote candidate out of an offer, or did not send a STUN datagram of a
 * call's ICE. The label is a metric label: a fixed set.
 */
public enum Refusal {
    /** Not a UDP candidate of component 1 with a port and an IP literal (TCP, RTCP, mDNS names). */
    UNUSABLE,
    /** An address family the policy does not allow. */
    FAMILY,
    /** Multicast, broadcast, unspecified ({@code 0.0.0.0/8}, {@code ::}): never a peer. */
    SPECIAL,
    /** In a denied network, or outside every allowed one. */
    DENIED,
    /** Beyond the number of candidates taken from one offer (the highest priorities are kept). */
    OVER_LIMIT,
    /** A connectivity check to a new destination beyond the per-call bound (peer-reflexive ones). */
    DESTINATIONS,
    /** A connectivity check beyond the per-call rate. */
    RATE,
    /** A connectivity check beyond the per-call total before a pair was selected. */
    TOTAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
