package dev.voicebridge.media.dtls;

/** Why a DTLS handshake failed; every failure closes the call (fail closed). */
public enum DtlsFailure {
    /** The peer's certificate does not hash to the fingerprint in its SDP. */
    FINGERPRINT_MISMATCH,
    /** The peer sent no certificate. */
    NO_PEER_CERTIFICATE,
    /** No SRTP protection profile both sides support (or no use_srtp at all). */
    NO_COMMON_SRTP_PROFILE,
    /** The handshake did not complete within the configured bound. */
    TIMEOUT,
    /** The peer sent a fatal alert. */
    PEER_ALERT,
    /** The transport closed (call hung up) during the handshake. */
    TRANSPORT_CLOSED,
    /** Anything else the TLS stack rejected. */
    PROTOCOL_ERROR
}
