package dev.voicebridge.worker.ice;

import java.net.InetSocketAddress;
import java.time.Duration;

/** ICE outcomes, called on the call's owner thread. */
public interface IceListener {
    /** A pair was nominated (first successful check carrying USE-CANDIDATE). */
    void onConnected(InetSocketAddress remote, Duration elapsed);

    /** Checks timed out, or consent was lost on the selected pair (RFC 7675 §5.1). */
    void onFailed(IceFailure failure);

    enum IceFailure {
        CHECKS_TIMED_OUT,
        CONSENT_LOST,
        NO_USABLE_CANDIDATES
    }
}
